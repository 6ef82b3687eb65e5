// The rig's worker process entry: the engine's worker loop, given the strategy registry. It lives beside the
// registry so the engine itself never imports a concrete strategy (the engine is the lower layer).
import { runWorker } from '../engine/worker.js';
import { loadStrategy } from './index.js';

runWorker(loadStrategy);
