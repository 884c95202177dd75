import { encode } from 'uqr';

const SVG = 'http://www.w3.org/2000/svg';
/** The blank margin scanners need around the code, in modules (the QR standard's quiet zone). */
const QUIET_ZONE = 4;

/**
 * A QR code of `text` as an SVG element: one path of dark modules on white, built with DOM calls (no HTML
 * strings, so the pages' CSP holds). It scales to whatever size CSS gives it, with crisp module edges.
 */
export const qrCode = (text: string, label: string): SVGSVGElement => {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const total = size + 2 * QUIET_ZONE;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${total} ${total}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('class', 'qr');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(total));
  background.setAttribute('height', String(total));
  background.setAttribute('fill', '#fff');
  let d = '';
  data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`)));
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', d);
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
};
