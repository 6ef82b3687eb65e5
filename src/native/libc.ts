// The C library functions Node does not expose (ioctl on a tty, a socket's peer credentials), reached through
// koffi, a maintained FFI package that ships prebuilt binaries for each platform in its optional dependencies
// (no compiler at install time). Loaded on first use only: a CLI call or a daemon that never opens a serial
// port or checks a peer never pays for it (about 10–40 ms to load). Where it cannot load — a platform koffi has
// no binary for, Windows (nothing here is needed there) — callers get the reason instead of a function.
import { createRequire } from 'node:module';

type Koffi = typeof import('koffi');
type Fn = (...args: unknown[]) => number;

export interface Libc {
  readonly koffi: Koffi;
  /** a libc function by its C prototype, bound once */
  fn(prototype: string): Fn;
  /** errno of the last call made through this library */
  errno(): number;
}

export type LibcResult = { ok: true; libc: Libc } | { ok: false; reason: string };

let loaded: LibcResult | undefined;

export function loadLibc(): LibcResult {
  if (loaded) return loaded;
  if (process.platform === 'win32') return (loaded = { ok: false, reason: 'no C library calls are used on Windows' });
  try {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    // dlopen(NULL): the symbols the running node process already has, libc among them, whatever its file name
    // (glibc's libc.so.6, musl's, macOS's libSystem)
    const lib = koffi.load(null as unknown as string);
    const bound = new Map<string, Fn>();
    loaded = {
      ok: true,
      libc: {
        koffi,
        fn(prototype) {
          let f = bound.get(prototype);
          if (!f) bound.set(prototype, (f = lib.func(prototype) as Fn));
          return f;
        },
        errno: () => koffi.errno(),
      },
    };
  } catch (err) {
    loaded = { ok: false, reason: `koffi (FFI) could not load: ${(err as Error).message}` };
  }
  return loaded;
}
