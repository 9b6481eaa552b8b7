import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Real, minimal PDF documents (one page, one line of text, a correct cross-reference table), as a
 * person would upload from disk: any PDF reader opens them.
 */
export function minimalPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Writes one PDF per name into the folder and returns their paths by name. */
export async function writePdfs(dir: string, names: readonly string[]): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  for (const name of names) {
    const path = join(dir, `${name.toLowerCase()}.pdf`);
    await writeFile(path, minimalPdf(name));
    paths[name] = path;
  }
  return paths;
}
