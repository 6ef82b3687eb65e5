// Which names a reopen resolves (namesToResolve): the opener's own first, then the names the held leases gave, in
// the order they were asked for — never a name that only an ended request gave.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeldLease } from '../../../../../src/daemon/server/serial/lease.js';
import { namesToResolve } from '../../../../../src/daemon/server/serial/port-locate.js';

const lease = (name: string): HeldLease => ({
  kind: 'monitor',
  requestId: `r-${name}`,
  name,
  clientPid: null,
  connected: true,
  since: '2026-12-07T00:00:00.000Z',
});

describe('namesToResolve', () => {
  it('drops the node an ended deploy named; keeps the link the waiting monitor gave', () => {
    // latest first: the deploy named the node after the monitor named the link
    const names = ['/dev/ttyUSB0', '/dev/serial/by-id/usb-board'];
    expect(namesToResolve(null, names, [lease('/dev/serial/by-id/usb-board')])).toEqual([
      '/dev/serial/by-id/usb-board',
    ]);
    // while the deploy still holds the port its name counts, and comes first as it was asked for last
    expect(namesToResolve(null, names, [lease('/dev/serial/by-id/usb-board'), lease('/dev/ttyUSB0')])).toEqual(names);
    // the opener's own name leads, whatever the order
    expect(namesToResolve('/dev/serial/by-id/usb-board', names, [lease('/dev/ttyUSB0')])).toEqual([
      '/dev/serial/by-id/usb-board',
      '/dev/ttyUSB0',
    ]);
  });

  it('a held lease whose name was given to another state (a hand-over) is still looked for, after the others', () => {
    expect(namesToResolve(null, ['a'], [lease('b'), lease('a')])).toEqual(['a', 'b']);
  });

  it('property: exactly the held names and the opener’s, each once; the given order kept; the opener first', () => {
    const name: fc.Arbitrary<string> = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(fc.uniqueArray(name), fc.array(name), fc.option(name, { nil: null }), (names, heldNames, first) => {
        const got = namesToResolve(first, names, heldNames.map(lease));
        const want = new Set([...heldNames, ...(first === null ? [] : [first])]);
        expect(new Set(got)).toEqual(want);
        expect(got.length).toBe(want.size);
        if (first !== null) expect(got[0]).toBe(first);
        const given = got.filter((n) => n !== first && names.includes(n));
        expect(given).toEqual(names.filter((n) => given.includes(n)));
        // names given here come before names given elsewhere
        const rest = got.filter((n) => n !== first);
        const firstElsewhere = rest.findIndex((n) => !names.includes(n));
        if (firstElsewhere >= 0) expect(rest.slice(firstElsewhere).every((n) => !names.includes(n))).toBe(true);
      }),
    );
  });
});
