// The SDK's `css` prop takes design tokens only (stack, gap, padding…, font, color). This maps them to
// plain inline styles, close enough to the Dashboard to judge layout. Unknown keys are ignored.
import type { CSSProperties } from 'react';

export const SPACING: Record<string, number> = { xxsmall: 2, xsmall: 4, small: 8, medium: 16, large: 24, xlarge: 32, xxlarge: 48 };

export const COLORS: Record<string, string> = {
  brand: '#635bff',
  primary: '#1a1b25',
  secondary: '#6c7688',
  disabled: '#a3acba',
  info: '#0570de',
  success: '#228403',
  attention: '#c84801',
  critical: '#df1b41',
};

const BACKGROUNDS: Record<string, string> = { container: '#f6f8fa', surface: '#ffffff' };
const BORDERS: Record<string, string> = { neutral: '#d5dbe1', critical: '#df1b41' };
const RADII: Record<string, string> = { none: '0', xsmall: '2px', small: '4px', medium: '6px', large: '10px', rounded: '999px' };

export const FONTS: Record<string, CSSProperties> = {
  title: { fontSize: 24, lineHeight: '32px', fontWeight: 700 },
  subtitle: { fontSize: 20, lineHeight: '28px', fontWeight: 600 },
  heading: { fontSize: 16, lineHeight: '24px', fontWeight: 700 },
  subheading: { fontSize: 14, lineHeight: '20px', fontWeight: 700 },
  kicker: { fontSize: 12, lineHeight: '16px', fontWeight: 600, textTransform: 'uppercase', letterSpacing: '0.04em' },
  lead: { fontSize: 16, lineHeight: '24px' },
  body: { fontSize: 14, lineHeight: '20px' },
  bodyEmphasized: { fontSize: 14, lineHeight: '20px', fontWeight: 600 },
  caption: { fontSize: 12, lineHeight: '16px' },
};

const WEIGHTS: Record<string, number> = { regular: 400, semibold: 600, bold: 700 };

/** A spacing token or a number of pixels. */
export function space(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? SPACING[value] : undefined;
}

/** Sizes: 'fill', fractions ('1/2'), keywords (min/max/fit/auto) or pixels. */
export function size(value: unknown): string | number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const fraction = /^(\d+)\/(\d+)$/.exec(value);
  if (fraction) return `${(Number(fraction[1]) / Number(fraction[2])) * 100}%`;
  return { fill: '100%', min: 'min-content', max: 'max-content', fit: 'fit-content', auto: 'auto' }[value];
}

const ALIGN: Record<string, string> = {
  start: 'flex-start',
  top: 'flex-start',
  center: 'center',
  end: 'flex-end',
  bottom: 'flex-end',
  baseline: 'baseline',
  stretch: 'stretch',
};

// Spacing keys and the CSS properties each one sets.
const SPACING_KEYS: Record<string, (keyof CSSProperties)[]> = {
  gap: ['gap'],
  gapX: ['columnGap'],
  columnGap: ['columnGap'],
  gapY: ['rowGap'],
  rowGap: ['rowGap'],
  padding: ['padding'],
  paddingX: ['paddingLeft', 'paddingRight'],
  paddingY: ['paddingTop', 'paddingBottom'],
  paddingTop: ['paddingTop'],
  paddingBottom: ['paddingBottom'],
  paddingLeft: ['paddingLeft'],
  paddingRight: ['paddingRight'],
  margin: ['margin'],
  marginX: ['marginLeft', 'marginRight'],
  marginY: ['marginTop', 'marginBottom'],
  marginTop: ['marginTop'],
  marginBottom: ['marginBottom'],
  marginLeft: ['marginLeft'],
  marginRight: ['marginRight'],
  top: ['top'],
  bottom: ['bottom'],
  left: ['left'],
  right: ['right'],
};

const SIZE_KEYS = ['width', 'height', 'minWidth', 'maxWidth', 'minHeight', 'maxHeight'] as const;

// Plain CSS properties whose token values are already valid CSS.
const PASS_THROUGH = [
  'overflow',
  'overflowX',
  'overflowY',
  'overflowWrap',
  'textAlign',
  'textOverflow',
  'textTransform',
  'whiteSpace',
  'wordBreak',
  'wordWrap',
  'borderStyle',
  'borderWidth',
] as const;

/** Inline style for a `css` prop value. */
export function cssToStyle(css: unknown): CSSProperties {
  if (!css || typeof css !== 'object') return {};
  const tokens = css as Record<string, unknown>;
  const style: Record<string, unknown> = {};

  const stack = tokens.stack;
  if (stack === 'x' || stack === 'y') {
    const row = stack === 'x';
    style.display = 'flex';
    style.flexDirection = row ? 'row' : 'column';
    const main = row ? tokens.alignX : tokens.alignY;
    const cross = row ? tokens.alignY : tokens.alignX;
    if (typeof main === 'string') style.justifyContent = ALIGN[main];
    if (typeof cross === 'string') style.alignItems = ALIGN[cross];
    if (tokens.distribute === 'space-between') style.justifyContent = 'space-between';
    if (typeof tokens.wrap === 'string') style.flexWrap = tokens.wrap;
  } else if (stack === 'z') {
    // Layers: every child in the same grid cell (the `pv-z` class puts them there).
    style.display = 'grid';
  }
  if (tokens.display === 'grid') {
    style.display = 'grid';
    if (typeof tokens.gridColumns === 'number') style.gridTemplateColumns = `repeat(${tokens.gridColumns}, minmax(0, 1fr))`;
  }

  for (const [key, properties] of Object.entries(SPACING_KEYS)) {
    const value = space(tokens[key]);
    if (value !== undefined) for (const property of properties) style[property] = value;
  }
  for (const key of SIZE_KEYS) {
    const value = size(tokens[key]);
    if (value !== undefined) style[key] = value;
  }
  for (const key of PASS_THROUGH) {
    if (typeof tokens[key] === 'string' || typeof tokens[key] === 'number') style[key] = tokens[key];
  }

  if (typeof tokens.font === 'string') Object.assign(style, FONTS[tokens.font]);
  if (typeof tokens.fontWeight === 'string') style.fontWeight = WEIGHTS[tokens.fontWeight];
  if (tokens.fontFamily === 'monospace') style.fontFamily = 'ui-monospace, SFMono-Regular, Menlo, monospace';
  if (typeof tokens.color === 'string') style.color = COLORS[tokens.color];
  if (typeof tokens.fill === 'string') style.fill = COLORS[tokens.fill];
  if (typeof tokens.backgroundColor === 'string') style.backgroundColor = BACKGROUNDS[tokens.backgroundColor];
  if (typeof tokens.borderRadius === 'string') style.borderRadius = RADII[tokens.borderRadius];
  if (typeof tokens.borderColor === 'string') style.borderColor = BORDERS[tokens.borderColor];
  if (typeof tokens.keyline === 'string') style.border = `1px solid ${BORDERS[tokens.keyline]}`;
  if (typeof tokens.alignSelfX === 'string') style.justifySelf = ALIGN[tokens.alignSelfX];
  if (typeof tokens.alignSelfY === 'string') style.alignSelf = ALIGN[tokens.alignSelfY];
  return style as CSSProperties;
}
