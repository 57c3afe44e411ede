import { mkdir, open as openFile, readFile, rename } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ControlChange, StoredAudit } from './control-store.interface.js';
import { ControlStoreError } from './control-store.error.js';
import { MemoryControlStore } from './memory-control-store.js';

/** `control.json` next to the file store's state file: shape of what is written. */
interface ControlFile {
  definitions: Record<string, unknown>;
  pauses: Record<string, unknown>;
  audit: unknown[];
}

/**
 * The control plane of a single instance, kept in `control.json` in the file store's folder
 * (the file store's lock already keeps a second process out). Each write goes to a temp file,
 * is fsynced and renamed over the old one, so a kill at any moment leaves one whole file;
 * writes are coalesced, the next one writing the latest state.
 */
export class FileControlStore extends MemoryControlStore {
  override readonly label: string;
  private readonly path: string;
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(folder: string, auditLimit?: number) {
    super(auditLimit);
    this.path = resolve(folder, 'control.json');
    this.label = `file (${this.path})`;
  }

  override async open(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = parse(text, this.path);
    this.state = { definitions: parsed.definitions as never, pauses: parsed.pauses as never };
    this.entries = parsed.audit as StoredAudit[];
  }

  override commit(change: ControlChange, audit: StoredAudit): Promise<void> {
    void super.commit(change, audit);
    return this.flush();
  }

  /** Resolves once a write that holds the current state is on disk. */
  private flush(): Promise<void> {
    this.dirty = true;
    this.writing ??= this.writeLoop().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const body: ControlFile = { ...this.state, audit: this.entries };
      await mkdir(dirname(this.path), { recursive: true });
      const temp = `${this.path}.${process.pid}.tmp`;
      const handle = await openFile(temp, 'w');
      try {
        await handle.writeFile(JSON.stringify(body));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    }
  }
}

function parse(text: string, path: string): ControlFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ControlStoreError(
      `${path}: not JSON (${(error as Error).message}); fix or delete it`,
    );
  }
  const file = value as Partial<ControlFile> | null;
  const isMap = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (
    !isMap(file) ||
    !isMap(file!.definitions) ||
    !isMap(file!.pauses) ||
    !Array.isArray(file!.audit)
  ) {
    throw new ControlStoreError(
      `${path}: expected { definitions: {...}, pauses: {...}, audit: [...] }; fix or delete it`,
    );
  }
  return file as ControlFile;
}
