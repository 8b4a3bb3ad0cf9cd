// A module resolution hook: `electron` is the fake beside this file; everything else as usual.
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') {
    return { url: new URL('./fake-electron.mjs', import.meta.url).href, shortCircuit: true }
  }
  return next(specifier, context)
}
