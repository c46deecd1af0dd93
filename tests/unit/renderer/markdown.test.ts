import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, openableUrl } from '../../../src/renderer/trace/detail/Markdown';

// The Markdown renderer turns marked's tokens into React elements: trace text can only become
// text nodes and the handful of elements listed here, never markup of its own.
const html = (src: string) => renderToStaticMarkup(createElement(Markdown, { source: src }));

describe('Markdown messages', () => {
  it('renders the usual structure', () => {
    const out = html('## Title\n\n**bold** and *em* and `code`\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(out).toContain('<h2 class="md-h">Title</h2>');
    expect(out).toContain('<strong>bold</strong> and <em>em</em> and <code class="md-code-inline">code</code>');
    expect(out).toContain('<ol start="1"><li>one</li><li>two</li></ol>');
    expect(out).toContain('<tbody><tr><td>1</td><td>2</td></tr></tbody>');
  });

  it('shows raw HTML, scripts and handlers as text', () => {
    const out = html('<script>alert(1)</script>\n\nhi <img src=x onerror=alert(2)> <b>b</b>\n\n<div onclick="x()">d</div>');
    expect(out.replace(/^<div class="md untrusted" data-testid="markdown">/, '')).not.toMatch(/<(script|img|b|div|a)[\s>]/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('keeps entities and special characters exactly as written', () => {
    const out = html("a & b < c > d \"q\" 'x' `<i>&amp;</i>`");
    expect(out).toContain('a &amp; b &lt; c &gt; d &quot;q&quot; &#x27;x&#x27;');
    expect(out).toContain('<code class="md-code-inline">&lt;i&gt;&amp;amp;&lt;/i&gt;</code>');
  });

  it('links: http(s) only, as buttons that ask first; other schemes and images are their source text', () => {
    const out = html('[ok](https://example.com/a?b=1) [bad](javascript:alert(1)) [d](data:text/html,x) ![i](https://e.example/p.png)');
    expect(out).toContain('data-href="https://example.com/a?b=1"');
    expect(out).not.toContain('<a');
    expect(out).not.toContain('<img');
    expect(out).toContain('[bad](javascript:alert(1))');
    expect(out).toContain('[d](data:text/html,x)');
    expect(out).toContain('![i](https://e.example/p.png)');
    expect(openableUrl('javascript:alert(1)')).toBeNull();
    expect(openableUrl('HTTPS://EXAMPLE.COM')).toBe('https://example.com/');
    expect(openableUrl('/relative')).toBeNull();
  });

  it('shows a code block as plain text until the colorizer answers', () => {
    const out = html('```html\n<script>x</script>\n```');
    expect(out).toContain('<pre class="md-code" data-colorized="false"><code>&lt;script&gt;x&lt;/script&gt;</code></pre>');
  });
});
