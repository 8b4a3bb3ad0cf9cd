// Runs a TypeScript worker entry (process.argv[2]) under tsx, for tests that start workers from source.
import { register } from 'tsx/esm/api'
import { pathToFileURL } from 'node:url'

register()
await import(pathToFileURL(process.argv[2]).href)
