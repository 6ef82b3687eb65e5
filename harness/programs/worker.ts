// The rig's worker process: the engine's worker loop, given the strategy registry. The loop lives in the
// engine and knows no concrete strategy (the engine is the lower layer); this entry joins the two.
import { runWorker } from '../engine/worker.js';
import { loadStrategy } from '../strategies/index.js';

runWorker(loadStrategy);
