// Starting a command as one unit to end together (an uploader and what it forks): the platform's twin, picked in
// twins.ts — a process group of its own on POSIX, a process tree ended by `taskkill` on Windows.
import type { StartGroup } from './group.js';
import { twins } from './twins.js';

export const startGroup: StartGroup = (file, args, shell) => twins.startGroup(file, args, shell);
