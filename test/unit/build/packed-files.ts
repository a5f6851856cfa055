import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Minimatch } from 'minimatch';

// What electron-builder would put in an installer, computed from
// build/electron-builder.json without the Electron binary (`electron-builder
// --dir` needs it): the app's own files through `files`, and the production
// dependencies of package-lock.json (those installed for the target platform)
// through the exclusions in `files` — electron-builder applies only the
// negative patterns to node_modules — then `asarUnpack` splits the archive
// from the unpacked folder. Its small default exclusions (READMEs, dotfiles)
// are left out, so the sizes are an upper bound.

export interface BuilderFiles {
  files: string[];
  asarUnpack: string[];
}

export interface PackedFile {
  path: string;
  size: number;
  unpacked: boolean;
}

interface LockEntry {
  dev?: boolean;
  os?: string | string[];
  cpu?: string | string[];
}

const expand = (pattern: string, platform: string, arch: string) => pattern.replaceAll('${platform}', platform).replaceAll('${arch}', arch);

/** minimatch-all, as electron-builder filters: the last matching pattern decides, `!` excludes. */
function selected(path: string, patterns: Minimatch[]): boolean {
  let keep = false;
  for (const pattern of patterns) {
    if (pattern.negate) {
      if (!pattern.match(path)) keep = false;
    } else if (pattern.match(path)) keep = true;
  }
  return keep;
}

function walk(root: string, dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => `${dir}/${file.split('\\').join('/')}`)
    .filter((file) => statSync(join(root, file)).isFile());
}

const fits = (field: string | string[] | undefined, value: string) => field === undefined || [field].flat().includes(value);

/** Production packages in the lockfile that npm installs on `platform`/`arch`. */
export function productionPackages(root: string, platform: string, arch: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && fits(entry.os, platform) && fits(entry.cpu, arch))
    .map(([path]) => path);
}

export function packedFiles(root: string, config: BuilderFiles, platform: string, arch: string): PackedFile[] {
  const options = { dot: true };
  const all = config.files.map((p) => new Minimatch(expand(p, platform, arch), options));
  const excludes = all.filter((p) => p.negate);
  const unpack = config.asarUnpack.map((p) => new Minimatch(expand(p, platform, arch), options));

  const app = [...walk(root, 'out'), 'package.json'].filter((file) => !file.startsWith('out/types/') && selected(file, all));
  const modules = productionPackages(root, platform, arch)
    .flatMap((dir) => walk(root, dir).filter((file) => !file.slice(dir.length).includes('/node_modules/')))
    .filter((file) => selected(file, [new Minimatch('**/*', options), ...excludes]));
  return [...app, ...modules].map((path) => ({ path, size: statSync(join(root, path)).size, unpacked: unpack.some((m) => m.match(path)) }));
}

export function sizes(files: PackedFile[]): { asar: number; unpacked: number } {
  const sum = (list: PackedFile[]) => list.reduce((total, file) => total + file.size, 0);
  return { asar: sum(files.filter((f) => !f.unpacked)), unpacked: sum(files.filter((f) => f.unpacked)) };
}
