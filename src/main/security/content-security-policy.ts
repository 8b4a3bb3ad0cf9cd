// One Content-Security-Policy for the app window and the browser: our own scripts and styles only, no
// remote images or fonts, no plugins, no frames, no form posts. Chat content is untrusted input.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')
