/**
 * What a benchmark is doing, for the person watching: stderr only, so stdout stays one JSON line
 * per result (CONTRACT.md).
 */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
