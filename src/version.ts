// The kit's version, recorded in owner records and reported in the handshake. Kept as a constant so the
// daemon and CLI never read package.json at start-up; a unit test keeps it equal to package.json.
export const KIT_VERSION = '0.1.0';
