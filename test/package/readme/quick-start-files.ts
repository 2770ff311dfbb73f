import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One code block of the README that a reader copies into a file of a new project. */
export interface QuickStartFile {
  /** The file's path in the project, e.g. `src/main.ts`. */
  path: string;
  /** Set for a block that replaces a file on another platform, e.g. `fastify`. */
  variant?: string;
  code: string;
}

// `<!-- file: src/main.ts -->` or `<!-- file: src/main.ts variant: fastify -->`, a blank line
// or none, then a fenced block.
const MARKED_BLOCK = /<!-- file: (\S+)(?: variant: (\w+))? -->\s*\n```\w*\n([\s\S]*?)\n```/g;

/** Every block of `readme` marked with the file it belongs in. */
export function quickStartFiles(readme: string): QuickStartFile[] {
  return [...readme.matchAll(MARKED_BLOCK)].map(([, file, variant, code]) => ({
    path: file,
    ...(variant === undefined ? {} : { variant }),
    code: `${code}\n`,
  }));
}

/**
 * Writes the project's files into `dir`: the plain blocks, then those of `variant` over them.
 * Blocks of other variants are left out.
 */
export function writeProject(dir: string, files: QuickStartFile[], variant?: string): void {
  const chosen = [
    ...files.filter((file) => file.variant === undefined),
    ...files.filter((file) => variant !== undefined && file.variant === variant),
  ];
  for (const file of chosen) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.code);
  }
}
