import { mkdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeFailure, run } from './run-command.js';

/** The tarball `npm pack` made of the package at `root`, and the files it holds. */
export interface PackedPackage {
  tarball: string;
  files: string[];
}

/** Packs the package at `root` into `work`. */
export async function pack(root: string, work: string): Promise<PackedPackage> {
  // --ignore-scripts: pack exactly the dist/ this run was given, never rebuild it here.
  const result = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
    root,
  );
  if (result.code !== 0) throw new Error(describeFailure('npm pack', result));
  const [packed] = JSON.parse(result.stdout) as { filename: string; files: { path: string }[] }[];
  return {
    tarball: path.join(work, packed.filename),
    files: packed.files.map((file) => file.path).sort(),
  };
}

/**
 * Installs `tarball` into a new throwaway app `work/app` named `name`; returns the app's folder.
 * With --legacy-peer-deps the peers come from a node_modules up the tree, not the network.
 */
export async function installIntoNewApp(
  work: string,
  name: string,
  tarball: string,
): Promise<string> {
  const appDir = path.join(work, 'app');
  mkdirSync(appDir);
  writeFileSync(
    path.join(appDir, 'package.json'),
    JSON.stringify({ name, version: '0.0.0', private: true }),
  );
  const install = await run(
    'npm',
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      '--legacy-peer-deps',
      tarball,
    ],
    appDir,
  );
  if (install.code !== 0) throw new Error(describeFailure('npm install <tarball>', install));
  return appDir;
}

/** Removes a test's work folder, and the shared temporary folder once nobody keeps files there. */
export function removeWorkDir(work: string | undefined, tmp: string): void {
  if (work) rmSync(work, { recursive: true, force: true });
  try {
    rmdirSync(tmp);
  } catch {
    // not empty: another test still works there
  }
}
