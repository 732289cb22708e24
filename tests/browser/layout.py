"""What a page looks like to a person on a phone, measured in the page: sideways scrolling,
text cut off by a box too small for it, and characters the system fonts cannot draw (issue 14,
item 4).

A missing glyph is found by drawing: each distinct character of the page's visible text is
drawn on a canvas in the font its element uses, and compared, pixel for pixel, with what
Chromium draws for characters no font has (.notdef, the "tofu" box: U+0378, unassigned, and
U+11F04, a Kawi letter that Debian's Noto of 2020 predates). A glyph that exists never draws
as exactly that box. Combining marks are left out: alone they draw as nothing or a dotted
circle, so the letters they sit on carry the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

MEASURE = r"""() => {
  const found = {overflow: 0, clipped: [], missing: []};
  const root = document.documentElement;
  found.overflow = Math.max(0, root.scrollWidth - root.clientWidth);
  const name = el => {
    const classes = String(el.getAttribute('class') || '').split(/\s+/).filter(Boolean);
    return [el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), ...classes].join('.');
  };
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!el.getClientRects().length || style.visibility === 'hidden') continue;
    // Visually hidden text (screen readers only) is clipped on purpose.
    const hidden = style.clipPath !== 'none' || (style.clip && style.clip !== 'auto');
    if (hidden || el.clientWidth <= 1) continue;
    const clips = /hidden|clip/.test(style.overflowX) || style.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      found.clipped.push(`${name(el)}: ${el.scrollWidth} > ${el.clientWidth} px`);
    }
  }
  // Characters by the font they are drawn in.
  const fonts = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || (!parent.getClientRects().length && parent.tagName !== 'OPTION')) continue;
    const style = getComputedStyle(parent);
    const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
    if (!fonts.has(font)) fonts.set(font, new Set());
    for (const ch of node.data) {
      if (!/[\s\p{Cf}\p{M}\p{Cc}]/u.test(ch)) fonts.get(font).add(ch);
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (font, ch) => {
    ctx.clearRect(0, 0, 64, 48);
    ctx.font = font;
    ctx.fillText(ch, 8, 36);
    const data = ctx.getImageData(0, 0, 64, 48).data;
    let key = '';
    for (let i = 3; i < data.length; i += 4) key += data[i] ? '1' : '0';
    return key + ':' + ctx.measureText(ch).width;
  };
  for (const [font, chars] of fonts) {
    const tofu = new Set([draw(font, '\u0378'), draw(font, '\u{11F04}')]);
    for (const ch of chars) {
      if (tofu.has(draw(font, ch))) {
        const code = ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
        found.missing.push(`U+${code} ${ch} (${font.split(' 32px ')[1]})`);
      }
    }
  }
  return found;
}"""


@dataclass
class Layout:
    overflow: int
    clipped: list[str]
    missing: list[str]

    def problems(self, where: str) -> list[str]:
        found = []
        if self.overflow > 1:
            found.append(f"{where}: scrolls sideways by {self.overflow} px")
        found += [f"{where}: text cut off in {item}" for item in self.clipped]
        found += [f"{where}: no font draws {item}" for item in self.missing]
        return found


def measure(page: Page) -> Layout:
    found: dict[str, Any] = page.evaluate(MEASURE)
    return Layout(int(found["overflow"]), list(found["clipped"]), list(found["missing"]))
