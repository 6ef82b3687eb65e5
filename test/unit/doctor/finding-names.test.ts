// A doctor finding may share its name with an error code only when it reports the very condition that error
// names (a client refusing the state directory with STATE_DIR_UNSAFE, and doctor finding it so): a script that
// matches the name must not get another meaning from doctor than from the CLI. A new shared name is a decision to
// make here, not an accident.
import { expect, it } from 'vitest';
import { FINDINGS } from '../../../src/doctor/findings.js';
import { ERROR_CODES } from '../../../src/errors.js';

/** each shared name: the condition both report */
const SAME_CONDITION = {
  STATE_DIR_UNSAFE: 'the state directory is not private to its user (clients refuse it)',
  STATE_DIR_UNWRITABLE: 'the state directory cannot be created or written',
  SECRET_CORRUPT: 'the handshake secret file is malformed',
  OWNER_OTHER_TOOL: "another tool's daemon owns the state directory (a client of fbuild's is refused it)",
};

it('finding codes that are also error codes are exactly the ones that report the same condition', () => {
  const shared = Object.keys(FINDINGS).filter((code) => Object.hasOwn(ERROR_CODES, code));
  expect(shared.sort()).toEqual(Object.keys(SAME_CONDITION).sort());
});
