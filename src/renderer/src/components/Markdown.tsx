// Message text as Markdown, safely: raw HTML is shown as text, links only to web and mail addresses (opened
// outside the app), images never load (shown as links), code blocks highlighted from a syntax tree.
import type { ComponentProps } from 'react'
import ReactMarkdown from 'react-markdown'
import rehypeHighlight from 'rehype-highlight'
import remarkGfm from 'remark-gfm'
import bash from 'highlight.js/lib/languages/bash'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import python from 'highlight.js/lib/languages/python'
import sql from 'highlight.js/lib/languages/sql'
import typescript from 'highlight.js/lib/languages/typescript'
import { safeLinkUrl } from '../lib/safe-url'
import { CopyButton } from './CopyButton'

const languages = { bash, javascript, json, python, sql, typescript }

function Link({ href, children }: ComponentProps<'a'>) {
  if (!href) return <span className="unsafe-link">{children}</span>
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" title={href}>
      {children}
    </a>
  )
}

function Image({ src, alt }: ComponentProps<'img'>) {
  const source = typeof src === 'string' ? src : ''
  return (
    <span className="image-placeholder" title={source}>
      [image{alt ? `: ${alt}` : ''}] {safeLinkUrl(source) ? <Link href={source}>{source}</Link> : null}
    </span>
  )
}

interface HastNode {
  type: string
  value?: string
  children?: HastNode[]
}
const textOf = (node: HastNode | undefined): string =>
  node?.type === 'text' ? (node.value ?? '') : (node?.children ?? []).map(textOf).join('')

/** A code block: kept as written (scrolls sideways, never wraps), with a copy button. */
function CodeBlock({ node, children }: ComponentProps<'pre'> & { node?: HastNode }) {
  return (
    <div className="code-block">
      <CopyButton text={textOf(node).replace(/\n$/, '')} label="Copy code" />
      {/* Focusable: a block that scrolls sideways must be scrollable from the keyboard too. */}
      <pre tabIndex={0}>{children}</pre>
    </div>
  )
}

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeHighlight, { languages, detect: false, plainText: ['text', 'txt'] }]]}
        urlTransform={(url) => safeLinkUrl(url) ?? ''}
        components={{ a: Link, img: Image, pre: CodeBlock }}
        skipHtml={false}
      >
        {text}
      </ReactMarkdown>
    </div>
  )
}
