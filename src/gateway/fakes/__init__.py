"""Local fakes of the third parties the gateway talks to.

They ship with the package (not only with the tests) so that a developer can try an engine
end to end without an account at the provider: ``gateway fake-graph`` serves one.
"""
