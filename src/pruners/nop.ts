// NopPruner: the pruner named "none", which never prunes (re-exported from the study seam).
import { nopPruner } from '../study/pruner.js';

export { nopPruner } from '../study/pruner.js';

/** The pruner named "none": never prunes. */
export const NopPruner = nopPruner;
