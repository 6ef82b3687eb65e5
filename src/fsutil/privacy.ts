// Is a state file or directory private to this user? The one test behind the state directory's check and the
// secret file's: owned by us, and no group/other permission bits. Callers phrase the refusal for what it is.
import type { Stats } from 'node:fs';
import { fsPlatform } from './platform.js';

export type PrivacyProblem =
  | { kind: 'owner'; ownerUid: number; uid: number; mode: string }
  | { kind: 'mode'; ownerUid: number; mode: string };

/** null when private, or where POSIX ownership and mode bits mean nothing (Windows: see fsutil/platform.ts). */
export function privacyProblem(st: Stats): PrivacyProblem | null {
  if (!fsPlatform.posixPermissions) return null;
  const uid = fsPlatform.currentUid();
  const mode = `0${(st.mode & 0o777).toString(8)}`;
  if (uid !== null && st.uid !== uid) return { kind: 'owner', ownerUid: st.uid, uid, mode };
  if ((st.mode & 0o077) !== 0) return { kind: 'mode', ownerUid: st.uid, mode };
  return null;
}
