// Regenerates src/generated/ from the committed OpenAPI document, or writes the same
// output to another folder (`node scripts/generate.mjs <folder>`), which is how the drift
// test compares a fresh generation with the committed one.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createClient } from '@hey-api/openapi-ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const OPENAPI_DOCUMENT = path.resolve(root, '../../openapi/openapi.json');
export const GENERATED_DIR = path.join(root, 'src/generated');

export async function generate(outputDir = GENERATED_DIR, { quiet = false } = {}) {
  await createClient({
    input: OPENAPI_DOCUMENT,
    output: {
      path: outputDir,
      clean: true,
      // The package is ESM under NodeNext resolution: relative imports need their extension.
      importFileExtension: '.js',
    },
    logs: { level: quiet ? 'silent' : 'info' },
    plugins: [
      // Calls throw instead of returning `{ data, error }`: the hand-written layer turns
      // every error answer into a GatewayError before it is thrown.
      { name: '@hey-api/client-fetch', throwOnError: true },
      '@hey-api/typescript',
      {
        name: '@hey-api/sdk',
        // One class holding every operation, so `Gateway` can extend it and carry its
        // own configured client; methods answer with the response body itself.
        operations: { strategy: 'single', containerName: 'GatewayApi', methods: 'instance' },
        responseStyle: 'data',
      },
    ],
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2] ? path.resolve(process.argv[2]) : GENERATED_DIR;
  await generate(target, { quiet: Boolean(process.argv[2]) });
}
