import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { OverlaySound } from '@kickcord/queue';
import { OVERLAY_JS } from './overlayScript.ts';
import { overlaySoundFiles } from './overlaySounds.ts';
import { OVERLAY_CSS } from './overlayStyle.ts';

/** Where the overlays' script, stylesheet, font and sounds are served from. */
export const OVERLAY_ASSETS_PATH = '/overlay/assets';

/** One file served under {@link OVERLAY_ASSETS_PATH}: its name carries a hash of its content, so it may be cached for a year. */
export interface OverlayAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The assets by file name, and the URLs the pages link to. */
export interface OverlayAssets {
  files: ReadonlyMap<string, OverlayAsset>;
  scriptUrl: string;
  styleUrl: string;
  soundUrls: Readonly<Record<OverlaySound, string>>;
}

/** The Inter font files bundled from `@fontsource-variable/inter`, with the characters each covers. */
const FONT_FILES = [
  {
    name: 'inter-latin',
    file: 'inter-latin-wght-normal.woff2',
    unicodeRange:
      'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
  },
  {
    name: 'inter-latin-ext',
    file: 'inter-latin-ext-wght-normal.woff2',
    unicodeRange:
      'U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF',
  },
] as const;

function hashOf(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 12);
}

let built: OverlayAssets | undefined;

/** Builds (once) every overlay asset: the font files read from the package, the synthesized sounds, the script and the stylesheet. */
export function overlayAssets(): OverlayAssets {
  if (built) return built;
  const files = new Map<string, OverlayAsset>();
  const add = (stem: string, ext: string, contentType: string, body: Buffer): string => {
    const hash = hashOf(body);
    const name = `${stem}.${hash}.${ext}`;
    files.set(name, { body, contentType, etag: `"${hash}"` });
    return `${OVERLAY_ASSETS_PATH}/${name}`;
  };
  const require = createRequire(import.meta.url);
  const faces = FONT_FILES.map((font) => {
    const url = add(font.name, 'woff2', 'font/woff2', readFileSync(require.resolve(`@fontsource-variable/inter/files/${font.file}`)));
    return `@font-face{font-family:'Inter Variable';font-style:normal;font-display:swap;font-weight:100 900;src:url(${url}) format('woff2-variations'),url(${url}) format('woff2');unicode-range:${font.unicodeRange}}`;
  });
  const soundUrls = {} as Record<OverlaySound, string>;
  for (const [name, wav] of overlaySoundFiles()) soundUrls[name] = add(`sound-${name}`, 'wav', 'audio/wav', wav);
  const styleUrl = add('overlay', 'css', 'text/css; charset=utf-8', Buffer.from(`${faces.join('\n')}\n${OVERLAY_CSS}\n`));
  const scriptUrl = add('overlay', 'js', 'text/javascript; charset=utf-8', Buffer.from(OVERLAY_JS));
  built = { files, scriptUrl, styleUrl, soundUrls };
  return built;
}
