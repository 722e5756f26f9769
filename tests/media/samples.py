"""The first bytes of real files of each type, padded: type detection reads only those."""

from __future__ import annotations

PAD = bytes(range(256)) * 4

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + PAD
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + PAD
GIF = b"GIF89a\x01\x00\x01\x00" + PAD
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + PAD
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + PAD
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + PAD  # also what a .docx is
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + PAD
M4A = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom" + PAD
THREE_GP = b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00" + PAD
OGG = b"OggS\x00\x02" + bytes(20) + b"OpusHead" + PAD
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + PAD
MP3_FRAME = b"\xff\xfb\x90\x64" + PAD
AAC = b"\xff\xf1\x50\x80\x02\x1f\xfc" + PAD
AMR = b"#!AMR\n" + PAD
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + PAD
TEXT = "Grüße, plain text\n".encode() * 10
HTML = b"<!doctype html><html><body>not an image</body></html>"
