/**
 * Finding links in chat, including the usual disguises: `example[.]com`, `example(dot)com`, `example dot com`,
 * `example . com`, `hxxp://`, fullwidth dots. A candidate counts only when its ending is a real public suffix
 * (tldts, from the Public Suffix List), so `file.txt`, `e.g.` or `1.5` are not links.
 */
import { parse } from 'tldts';
import { INVISIBLE_CHARACTERS, isAscii } from './foldText.ts';

const DISGUISED_DOTS = /\s*(?:\[\s*(?:\.|dot)\s*\]|\(\s*(?:\.|dot)\s*\)|\{\s*(?:\.|dot)\s*\}|<\s*(?:\.|dot)\s*>)\s*|\s+dot\s+|\s+\.\s+/gi;
const CANDIDATE = /(?:[a-z][a-z0-9+.-]{1,15}:\/\/)?((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63})(?![\p{L}\p{N}-])/giu;
const WITH_SCHEME_IP = /\b(?:https?|hxxps?):\/\/(\d{1,3}(?:\.\d{1,3}){3})\b/gi;

/** Undoes the disguises, so `example [.] com` reads `example.com`. */
function undisguise(text: string): string {
  let out = isAscii(text) ? text : text.normalize('NFKC').replace(INVISIBLE_CHARACTERS, '').replace(/[。｡]/g, '.');
  out = out.replace(/\bhxxp/gi, 'http');
  // Only when a dot could be disguised: most messages skip the replacement.
  if (/dot|[[({<]|\s\.\s/i.test(out)) out = out.replace(DISGUISED_DOTS, '.');
  return out;
}

/**
 * The hosts of every link in `text` (lower case, without `www.`), disguised ones included. An address
 * without a known public suffix is not a link; an IP address counts only with a scheme (`http://1.2.3.4`).
 */
export function findLinkHosts(text: string): string[] {
  if (!/[.。｡．]|dot/i.test(text)) return [];
  const plain = undisguise(text);
  const hosts: string[] = [];
  for (const m of plain.matchAll(CANDIDATE)) {
    const host = (m[1] ?? '').toLowerCase().replace(/^www\./, '');
    const info = parse(host, { extractHostname: false });
    if (info.isIcann && info.domain) hosts.push(host);
  }
  for (const m of plain.matchAll(WITH_SCHEME_IP)) hosts.push(m[1] ?? '');
  return hosts;
}

/** True when `host` is one of `allowed` or a subdomain of one. */
export function isAllowedHost(host: string, allowed: readonly string[]): boolean {
  return allowed.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** Makes links in `text` unclickable for a log (`example.com` → `example[.]com`, `https://` → `hxxps://`). */
export function defangLinks(text: string): string {
  return text.replace(/\b(h)tt(ps?):\/\//gi, '$1xx$2://').replace(CANDIDATE, (m) => m.replace(/\./g, '[.]'));
}
