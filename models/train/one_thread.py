"""Imported before torch by every training script: one CPU thread, also inside matrix products.

torch.set_num_threads(1) does not reach Debian's OpenBLAS (openblas-pthread), which otherwise runs
a second thread per core inside matrix products and spins between them. The library reads this
variable when it loads, so it must be set before torch is imported.
"""

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
