// What a leaked secret looks like: rules as data (id, description, pattern, keywords), in the spirit
// of gitleaks' rules. `keywords` are cheap substrings checked first; `secretGroup` names the capture
// that is the secret itself when the pattern also matches what surrounds it (an assignment, a URL).

export interface SecretRule {
  id: string
  description: string
  pattern: RegExp
  /** Lower-case substrings one of which must occur for the pattern to be tried. */
  keywords: string[]
  /** The capture group holding the secret (0: the whole match). */
  secretGroup?: number
  /** Minimum Shannon entropy (bits per character) of the secret, for rules that would catch words. */
  minEntropy?: number
  /** Personal data, not credentials: only with --pii. */
  pii?: boolean
}

export const RULES: SecretRule[] = [
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    pattern: /\bsk-ant-[a-z]{3,6}\d{2}-[A-Za-z0-9_-]{32,}/g,
    keywords: ['sk-ant-'],
  },
  {
    id: 'openai-api-key',
    description: 'OpenAI API key',
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?(?!ant-)[A-Za-z0-9_-]{32,}/g,
    keywords: ['sk-'],
    minEntropy: 3.5,
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
    keywords: ['akia', 'asia', 'abia', 'acca'],
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key (in an assignment)',
    pattern: /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    keywords: ['aws'],
    secretGroup: 1,
    minEntropy: 3.5,
  },
  {
    id: 'github-token',
    description: 'GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})\b/g,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  },
  {
    id: 'slack-token',
    description: 'Slack token',
    pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
    keywords: ['xox'],
  },
  {
    id: 'stripe-live-key',
    description: 'Stripe live secret or restricted key',
    pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{20,}/g,
    keywords: ['_live_'],
  },
  {
    id: 'google-api-key',
    description: 'Google API key',
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    keywords: ['aiza'],
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
    keywords: ['eyj'],
  },
  {
    id: 'private-key',
    description: 'Private key block (PEM or OpenSSH)',
    pattern:
      /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/g,
    keywords: ['private key-----'],
  },
  {
    id: 'url-password',
    description: 'Password in a connection URL',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:([^\s@/"']{3,})@[^\s"']+/gi,
    keywords: ['://'],
    secretGroup: 1,
  },
  {
    id: 'generic-secret',
    description: 'High-entropy value assigned to a *_KEY, *_TOKEN, *_SECRET or password',
    pattern:
      /\b[A-Za-z0-9_]*(?:key|token|secret|password|passwd)["']?\s*[:=]\s*["']?([A-Za-z0-9_\-+/=.]{16,})(?![A-Za-z0-9_\-+/=.])/gi,
    keywords: ['key', 'token', 'secret', 'passw'],
    secretGroup: 1,
    minEntropy: 3.7,
  },
  {
    id: 'email',
    description: 'Email address',
    pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g,
    keywords: ['@'],
    pii: true,
  },
  {
    id: 'phone',
    description: 'Phone number',
    pattern: /(?<![\w.-])\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\w.-])/g,
    keywords: [],
    pii: true,
  },
]

/** Shannon entropy in bits per character: random keys score high, words and repeats low. */
export function entropy(text: string): number {
  const counts = new Map<string, number>()
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

/** Shows a few characters of a secret and hides the rest: enough to recognise it, not to use it. */
export function mask(secret: string): string {
  const flat = secret.replace(/\s+/g, ' ')
  if (flat.length <= 8) return '*'.repeat(flat.length)
  return `${flat.slice(0, 4)}${'*'.repeat(Math.min(flat.length - 6, 12))}${flat.slice(-2)}`
}

export const redactionMark = (ruleId: string): string => `[REDACTED:${ruleId}]`

/** The text as it appears after being JSON-encoded `depth` times (0: as it is). */
export function encoded(text: string, depth: number): string {
  let out = text
  for (let i = 0; i < depth; i++) out = JSON.stringify(out).slice(1, -1)
  return out
}

/** Every way `secret` can appear in a stored cell, longest first (deeper encodings are longer). */
export function storedForms(secret: string): string[] {
  return [...new Set([0, 1, 2, 3].map((d) => encoded(secret, d)))].sort((a, b) => b.length - a.length)
}
