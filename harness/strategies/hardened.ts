// `hardened`: the product as shipped (default ownership mechanism for the platform).
import { productStrategy } from './product.js';

export const hardened = productStrategy('hardened', null);
