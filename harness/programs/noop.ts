// A Node process that does nothing but exit: a pid that ran and is gone, for faults that plant a dead owner.
export {};
