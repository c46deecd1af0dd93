import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { Lexer, type Token, type Tokens } from 'marked';
import { showControls } from '../../util/untrustedText';
import { colorizeCode, type ColoredLine } from './colorize';
import { useLinkConfirm } from './LinkConfirm';

/**
 * Message text as Markdown, safely. `marked` only tokenises; the tokens become React elements
 * here, so every piece of trace text reaches the page as a text node. Raw HTML (block or inline)
 * is shown as the text it is. Links are buttons that ask before anything opens, and only http(s)
 * links can open at all (other schemes — javascript:, data:, file: — are shown as their source
 * text). Images are never loaded: `![alt](url)` is shown as its source text. Code blocks are
 * coloured by the bundled Monaco colorizer.
 */

/** Above this size a message is shown as plain text: tokenising megabytes helps nobody read. */
export const MAX_MARKDOWN_CHARS = 200_000;

// marked escapes text and code spans while lexing (& < > " '); undo exactly that.
const ENTITY: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
function unescape(s: string): string {
  return s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITY[e]!);
}

const text = (s: string) => showControls(s);

export function Markdown({ source }: { source: string }) {
  const tokens = new Lexer({ gfm: true, breaks: false }).lex(source);
  return (
    <div className="md untrusted" data-testid="markdown">
      <Blocks tokens={tokens} />
    </div>
  );
}

function Blocks({ tokens }: { tokens: Token[] }) {
  return (
    <>
      {tokens.map((t, i) => (
        <Block key={i} token={t} />
      ))}
    </>
  );
}

function Block({ token: t }: { token: Token }): ReactNode {
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'heading': {
      const h = t as Tokens.Heading;
      const Tag = `h${Math.min(6, Math.max(1, h.depth)) as 1 | 2 | 3 | 4 | 5 | 6}` as const;
      return (
        <Tag className="md-h">
          <Inline tokens={h.tokens} />
        </Tag>
      );
    }
    case 'paragraph':
      return (
        <p>
          <Inline tokens={(t as Tokens.Paragraph).tokens} />
        </p>
      );
    case 'text': {
      const x = t as Tokens.Text;
      return <p>{x.tokens ? <Inline tokens={x.tokens} /> : text(unescape(x.text))}</p>;
    }
    case 'code': {
      const c = t as Tokens.Code;
      return <CodeBlock code={c.text} lang={(c.lang ?? '').trim().split(/\s+/)[0] ?? ''} />;
    }
    case 'blockquote':
      return (
        <blockquote>
          <Blocks tokens={(t as Tokens.Blockquote).tokens} />
        </blockquote>
      );
    case 'list': {
      const l = t as Tokens.List;
      const items = l.items.map((it, i) => (
        <li key={i} className={it.task ? 'md-task' : undefined}>
          {it.task ? <span className="md-check" aria-label={it.checked ? 'done' : 'not done'}>{it.checked ? '☑' : '☐'} </span> : null}
          <ListItem item={it} loose={l.loose} />
        </li>
      ));
      return l.ordered ? <ol start={typeof l.start === 'number' ? l.start : undefined}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'table': {
      const tb = t as Tokens.Table;
      const align = (i: number) => tb.align[i] ?? undefined;
      return (
        <div className="md-table-wrap">
          <table className="md-table">
            <thead>
              <tr>
                {tb.header.map((c, i) => (
                  <th key={i} style={{ textAlign: align(i) }}>
                    <Inline tokens={c.tokens} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {tb.rows.map((r, ri) => (
                <tr key={ri}>
                  {r.map((c, i) => (
                    <td key={i} style={{ textAlign: align(i) }}>
                      <Inline tokens={c.tokens} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case 'hr':
      return <hr />;
    case 'html':
      // Raw HTML is not markup here: it is shown as the text it is.
      return <pre className="md-raw-html">{text((t as Tokens.HTML).text)}</pre>;
    default:
      return 'raw' in t && typeof t.raw === 'string' ? <p>{text(t.raw)}</p> : null;
  }
}

function ListItem({ item, loose }: { item: Tokens.ListItem; loose: boolean }) {
  // Tight lists hold `text` tokens; showing them as paragraphs would space the list out.
  if (loose) return <Blocks tokens={item.tokens} />;
  return (
    <>
      {item.tokens.map((t, i) =>
        t.type === 'text' ? (
          <Fragment key={i}>{(t as Tokens.Text).tokens ? <Inline tokens={(t as Tokens.Text).tokens!} /> : text(unescape((t as Tokens.Text).text))}</Fragment>
        ) : t.type === 'checkbox' ? null : (
          <Block key={i} token={t} />
        ),
      )}
    </>
  );
}

function Inline({ tokens }: { tokens: Token[] }) {
  return (
    <>
      {tokens.map((t, i) => (
        <InlineToken key={i} token={t} />
      ))}
    </>
  );
}

function InlineToken({ token: t }: { token: Token }): ReactNode {
  switch (t.type) {
    case 'text':
    case 'escape': {
      const x = t as Tokens.Text;
      return x.tokens ? <Inline tokens={x.tokens} /> : text(unescape(x.text));
    }
    case 'strong':
      return (
        <strong>
          <Inline tokens={(t as Tokens.Strong).tokens} />
        </strong>
      );
    case 'em':
      return (
        <em>
          <Inline tokens={(t as Tokens.Em).tokens} />
        </em>
      );
    case 'del':
      return (
        <del>
          <Inline tokens={(t as Tokens.Del).tokens} />
        </del>
      );
    case 'codespan':
      return <code className="md-code-inline">{text(unescape((t as Tokens.Codespan).text))}</code>;
    case 'br':
      return <br />;
    case 'link':
      return <MdLink token={t as Tokens.Link} />;
    case 'image':
      // Never loaded (nothing from a trace is fetched): the source text, marked as an image.
      return (
        <span className="md-image-ref" title="Images in message text are not loaded">
          {text((t as Tokens.Image).raw)}
        </span>
      );
    case 'html':
      return <span className="md-raw-html">{text((t as Tokens.HTML).text)}</span>;
    default:
      return 'raw' in t && typeof t.raw === 'string' ? text(t.raw) : null;
  }
}

/** http(s) only: everything else (javascript:, data:, file:, relative) cannot be opened. */
export function openableUrl(href: string): string | null {
  try {
    const u = new URL(href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function MdLink({ token }: { token: Tokens.Link }) {
  const confirm = useLinkConfirm();
  const url = openableUrl(token.href);
  if (!url) return <span className="md-link-inert">{text(token.raw)}</span>;
  return (
    <button
      type="button"
      className="md-link"
      title={showControls(url)}
      data-href={url}
      onClick={() => confirm(url)}
    >
      <Inline tokens={token.tokens} />
    </button>
  );
}

function CodeBlock({ code, lang }: { code: string; lang: string }) {
  const [lines, setLines] = useState<ColoredLine[] | null>(null);
  useEffect(() => {
    let live = true;
    setLines(null);
    colorizeCode(code, lang).then((l) => live && setLines(l));
    return () => {
      live = false;
    };
  }, [code, lang]);
  return (
    <div className="md-code-block">
      {lang ? <span className="md-code-lang">{text(lang)}</span> : null}
      <pre className="md-code" data-colorized={lines ? 'true' : 'false'}>
        <code>
          {lines
            ? lines.map((l, i) => (
                <Fragment key={i}>
                  {l.runs.map(([s, cls], j) => (
                    <span key={j} className={cls || undefined}>
                      {text(s)}
                    </span>
                  ))}
                  {i < lines.length - 1 ? '\n' : null}
                </Fragment>
              ))
            : text(code)}
        </code>
      </pre>
    </div>
  );
}
