// `proper-lockfile`: the product's client and daemon with ownership on the peer library, for comparison.
import { productStrategy } from './product.js';

export const properLockfile = productStrategy('proper-lockfile', 'proper-lockfile');
