import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A fresh empty folder under the OS temp folder; remove it with {@link removeTempDir}. */
export async function makeTempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "newsdesk-corpus-"));
}

/** Writes each `name -> content` pair as a file in `dir`. */
export async function writeFiles(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(dir, name), content);
  }
}

/** Removes a folder made by {@link makeTempDir}, with everything in it. */
export async function removeTempDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}
