"""Python twin of bench/suite.ts: the wide sampler benchmark suite (the six public functions plus 26 more),
spaces in hyperopt form and their mapping onto Optuna's define-by-run API, objectives, known minima.
The mapping follows ../shared/bench/README.md (the one used for the public Optuna figures):
uniform -> suggest_float; loguniform -> suggest_float(log=True); quniform with integral bounds and step
-> suggest_int(step=q); qloguniform -> suggest_int(log=True) rounded to a multiple of q; randint(lo, hi)
-> suggest_int(lo, hi - 1); choice -> suggest_categorical over indices, then the chosen branch's params.
"""
import math

PI = math.pi


# --- spaces ---------------------------------------------------------------------------------------------

def U(low, high):
    return ('uniform', low, high)


def LU(low, high):
    return ('loguniform', low, high)


def QU(low, high, q):
    return ('quniform', low, high, q)


def QLU(low, high, q):
    return ('qloguniform', low, high, q)


def RI(low, high):
    return ('randint', low, high)


def CH(options):
    return ('choice', options)


def is_node(v):
    return isinstance(v, tuple) and len(v) >= 2 and isinstance(v[0], str)


def rnd(x):
    return math.floor(x + 0.5)


def sample(trial, space, prefix=''):
    """Params mirroring `space` (a dict), drawn through an Optuna trial."""
    out = {}
    for key, node in space.items():
        out[key] = sample_node(trial, node, prefix + key)
    return out


def sample_node(trial, node, name):
    if isinstance(node, dict):
        return sample(trial, node, name + '.')
    if not is_node(node):
        return node
    kind = node[0]
    if kind == 'uniform':
        return trial.suggest_float(name, node[1], node[2])
    if kind == 'loguniform':
        return trial.suggest_float(name, node[1], node[2], log=True)
    if kind == 'quniform':
        return trial.suggest_int(name, int(node[1]), int(node[2]), step=int(node[3]))
    if kind == 'qloguniform':
        v = trial.suggest_int(name, int(node[1]), int(node[2]), log=True)
        q = node[3]
        return min(max(rnd(v / q) * q, q * math.ceil(node[1] / q)), q * math.floor(node[2] / q))
    if kind == 'randint':
        return trial.suggest_int(name, int(node[1]), int(node[2]) - 1)
    if kind == 'choice':
        options = node[1]
        i = trial.suggest_categorical(name, list(range(len(options))))
        return sample_node(trial, options[i], f'{name}[{i}]')
    raise ValueError(kind)


def box(n, low, high):
    return {f'x{i}': U(low, high) for i in range(n)}


def vec(p, n):
    return [p[f'x{i}'] for i in range(n)]


def sq(x):
    return x * x


# --- the six public functions (copies of ../shared/bench/functions.mjs) --------------------------------

BRANIN_B = 5.1 / (4 * PI * PI)
BRANIN_C = 5 / PI
BRANIN_T = 1 / (8 * PI)


def sphere5(p):
    return sum(v * v for v in vec(p, 5))


def branin(p):
    x1, x2 = p['x1'], p['x2']
    term = x2 - BRANIN_B * x1 * x1 + BRANIN_C * x1 - 6
    return term * term + 10 * (1 - BRANIN_T) * math.cos(x1) + 10


H6_ALPHA = [1.0, 1.2, 3.0, 3.2]
H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(p):
    x = vec(p, 6)
    f = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(6):
            d = x[j] - H6_P[i][j]
            inner += H6_A[i][j] * d * d
        f -= H6_ALPHA[i] * math.exp(-inner)
    return f


def rosenbrock(x):
    return sum(100 * sq(x[i + 1] - x[i] * x[i]) + sq(1 - x[i]) for i in range(len(x) - 1))


MLMIX_LR = {'sgd': -1.0, 'adam': -3.0, 'rmsprop': -2.5}
MLMIX_OFFSET = {'sgd': 0.03, 'adam': 0.0, 'rmsprop': 0.015}


def mlmix(p):
    opt = p['optimizer']
    ne, depth = p['n_estimators'], p['depth']
    a = math.log10(p['lr']) - MLMIX_LR[opt] + 0.5 * math.log10(ne / 200)
    b = math.log2(ne / 200)
    c = depth - 7
    d = p['dropout'] - 0.05 * depth
    return 0.1 + MLMIX_OFFSET[opt] + 0.05 * a * a + 0.02 * b * b + 0.003 * c * c + 0.8 * d * d


def condpub(p):
    m = p['clf']
    if m['kind'] == 'linear':
        a = math.log10(m['alpha']) + 3
        b = m['l1_ratio'] - 0.3
        return 0.2 + 0.01 * a * a + 0.05 * b * b
    if m['kind'] == 'forest':
        t = math.log2(m['trees'] / 200)
        d = m['depth'] - 12
        return 0.15 + 0.02 * t * t + 0.003 * d * d
    a = math.log10(m['lr']) + 1.5 + 0.5 * math.log10(m['rounds'] / 300)
    r = math.log2(m['rounds'] / 300)
    return 0.12 + 0.03 * a * a + 0.01 * r * r


# --- the new functions ----------------------------------------------------------------------------------

def rastrigin(x):
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * PI * v) for v in x)


def griewank(x):
    s = 0.0
    prod = 1.0
    for i, v in enumerate(x):
        s += v * v / 4000
        prod *= math.cos(v / math.sqrt(i + 1))
    return 1 + s - prod


SCHWEFEL_C = 418.9828872724338


def schwefel(x):
    return SCHWEFEL_C * len(x) - sum(v * math.sin(math.sqrt(abs(v))) for v in x)


def michalewicz(x):
    return -sum(math.sin(v) * math.sin((i + 1) * v * v / PI) ** 20 for i, v in enumerate(x))


SHEKEL_BETA = [b / 10 for b in [1, 2, 2, 4, 4, 6, 3, 7, 5, 5]]
SHEKEL_C = [[4, 1, 8, 6, 3, 2, 5, 8, 6, 7], [4, 1, 8, 6, 7, 9, 3, 1, 2, 3.6],
            [4, 1, 8, 6, 3, 2, 5, 8, 6, 7], [4, 1, 8, 6, 7, 9, 3, 1, 2, 3.6]]


def shekel10(x):
    s = 0.0
    for i in range(10):
        inner = SHEKEL_BETA[i]
        for j in range(4):
            inner += sq(x[j] - SHEKEL_C[j][i])
        s -= 1 / inner
    return s


def six_hump_camel(p):
    a, b = p['x0'], p['x1']
    return (4 - 2.1 * a * a + a ** 4 / 3) * a * a + a * b + (-4 + 4 * b * b) * b * b


def goldstein_price(p):
    a, b = p['x0'], p['x1']
    f1 = 1 + sq(a + b + 1) * (19 - 14 * a + 3 * a * a - 14 * b + 6 * a * b + 3 * b * b)
    f2 = 30 + sq(2 * a - 3 * b) * (18 - 32 * a + 12 * a * a + 48 * b - 36 * a * b + 27 * b * b)
    return f1 * f2


H3_ALPHA = [1.0, 1.2, 3.0, 3.2]
H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
H3_P = [[v / 1e4 for v in r] for r in [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]]


def hartmann3(x):
    f = 0.0
    for i in range(4):
        inner = sum(H3_A[i][j] * sq(x[j] - H3_P[i][j]) for j in range(3))
        f -= H3_ALPHA[i] * math.exp(-inner)
    return f


def ackley(x):
    d = len(x)
    s1 = sum(v * v for v in x)
    s2 = sum(math.cos(2 * PI * v) for v in x)
    return -20 * math.exp(-0.2 * math.sqrt(s1 / d)) - math.exp(s2 / d) + 20 + math.e


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    s = sq(math.sin(PI * w[0]))
    for i in range(len(w) - 1):
        s += sq(w[i] - 1) * (1 + 10 * sq(math.sin(PI * w[i] + 1)))
    return s + sq(w[-1] - 1) * (1 + sq(math.sin(2 * PI * w[-1])))


STYBLINSKI_MIN = -39.16616570377142


def styblinski_tang(x):
    return sum(v ** 4 - 16 * v * v + 5 * v for v in x) / 2


def rotated_hyper_ellipsoid(x):
    s = 0.0
    partial = 0.0
    for v in x:
        partial += v
        s += partial * partial
    return s


ELL_D = 8
ELL_SHIFT = [3 * math.sin(2 * i + 1) for i in range(ELL_D)]


def _rotation(d):
    r = [[1.0 if i == j else 0.0 for j in range(d)] for i in range(d)]
    for k in range(3):
        v = [math.cos(1.7 * (k + 1) * (i + 1) + 0.3 * k) for i in range(d)]
        vv = sum(a * a for a in v)
        nxt = [row[:] for row in r]
        for j in range(d):
            dot = sum(v[i] * r[i][j] for i in range(d))
            for i in range(d):
                nxt[i][j] = r[i][j] - 2 * v[i] * dot / vv
        r = nxt
    return r


ELL_R = _rotation(ELL_D)


def rotated_ellipsoid(x):
    s = 0.0
    for i in range(ELL_D):
        z = sum(ELL_R[i][j] * (x[j] - ELL_SHIFT[j]) for j in range(ELL_D))
        s += 10 ** (6 * i / (ELL_D - 1)) * z * z
    return s


SPHERE20_SHIFT = [2 * math.sin(1.3 * (i + 1)) for i in range(20)]


def shifted_sphere20(x):
    return sum(sq(v - SPHERE20_SHIFT[i]) for i, v in enumerate(x))


SVM_KERNEL_BASE = {'rbf': 0.05, 'poly': 0.07, 'linear': 0.11}


def svmmix(p):
    kernel = p['kernel']
    c = math.log10(p['C'])
    g = math.log10(p['gamma'])
    f = SVM_KERNEL_BASE[kernel]
    if kernel == 'rbf':
        f += 0.04 * sq(c - 1.5) + 0.05 * sq(g + 2.5 + 0.3 * (c - 1.5))
    elif kernel == 'poly':
        f += 0.03 * sq(c - 0.5) + 0.02 * sq(g + 1) + 0.01 * sq(p['degree'] - 3)
    else:
        f += 0.02 * sq(c)
    f += 0.0005 * sq((p['batch'] - 96) / 16)
    f += 0.002 * sq(math.log2(p['cache_mb'] / 512))
    return f


MIXED10_LR = {'sgd': -1.5, 'adam': -3, 'rmsprop': -2.5, 'lamb': -2}
MIXED10_OFFSET = {'sgd': 0.02, 'adam': 0, 'rmsprop': 0.01, 'lamb': 0.005}


def mixed10(p):
    opt = p['opt']
    b = p['b'] - 0.7
    return (MIXED10_OFFSET[opt] + sq(p['a'] - 1.5) / 25 + b * b + sq(p['c'] + 0.2 - 0.5 * b)
            + 0.1 * sq(math.log10(p['lr']) - MIXED10_LR[opt]) + 0.05 * sq(math.log10(p['wd']) + 4)
            + 0.01 * sq(p['depth'] - 6) + 0.5 * sq((p['width'] - 200) / 504)
            + 0.02 * sq(math.log2(p['rounds'] / 400)))


NN_ACT = {'relu': 0.01, 'tanh': 0.03, 'gelu': 0}


def nnmix(p):
    layers = p['layers']
    lb = math.log2(p['batch'] / 64)
    a = math.log10(p['lr']) + 3 - 0.3 * lb
    return (NN_ACT[p['activation']] + 0.02 * sq(layers - 4) + 0.03 * sq(math.log2(p['units'] / 256)) + 0.08 * a * a
            + 0.01 * lb * lb + 0.5 * sq(p['dropout'] - 0.05 * layers - 0.1)
            + 0.02 * sq(math.log10(p['weight_decay']) + 4) + 0.03 * sq((p['warmup'] - 200) / 1000))


def condtrap(p):
    m = p['branch']
    if m['kind'] == 'wide':
        return 0.3 + 0.1 * (sq(m['x'] - 0.5) + sq(m['y'] - 0.5))
    if m['kind'] == 'needle':
        e = sq(math.log10(m['lr']) + 3.7) / 0.18 + sq(m['m'] - 0.8) / 0.02
        return 0.1 + 0.9 * (1 - math.exp(-e))
    return 0.2 + 0.002 * sq(m['k'] - 13)


def condnested(p):
    m = p['model']
    if m['kind'] == 'svm':
        c = math.log10(m['C'])
        k = m['kernel']
        if k['k'] == 'rbf':
            return 0.12 + 0.02 * sq(c - 1) + 0.03 * sq(math.log10(k['gamma']) + 3)
        return 0.18 + 0.02 * c * c
    if m['kind'] == 'tree':
        return (0.15 + 0.002 * sq(m['depth'] - 8) + (0 if m['split'] == 'entropy' else 0.01)
                + 0.01 * sq(math.log10(m['min_leaf']) - 1))
    lr = math.log10(m['lr'])
    o = m['opt']
    if o['o'] == 'sgd':
        return 0.14 + 0.05 * sq(lr + 1.5) + 0.3 * sq(o['momentum'] - 0.9)
    return 0.1 + 0.08 * sq(lr + 3.3) + 2 * sq(o['beta1'] - 0.9)


def on_vec(n, f):
    return lambda p: f(vec(p, n))


# name -> (space, objective, known minimum, noise sd)
SUITE = {
    'sphere5': (box(5, -5, 5), sphere5, 0.0, 0),
    'branin': ({'x1': U(-5, 10), 'x2': U(0, 15)}, branin, 5 / (4 * PI), 0),
    'hartmann6': (box(6, 0, 1), hartmann6, -3.3223680114155147, 0),
    'rosenbrock4': (box(4, -2, 2), on_vec(4, rosenbrock), 0.0, 0),
    'mlmix': ({'lr': LU(1e-5, 1.0), 'depth': QU(1, 12, 1), 'n_estimators': QU(10, 500, 10),
               'optimizer': CH(['sgd', 'adam', 'rmsprop']), 'dropout': U(0.0, 0.6)}, mlmix, 0.1, 0),
    'condpub': ({'clf': CH([{'kind': 'linear', 'alpha': LU(1e-6, 10.0), 'l1_ratio': U(0.0, 1.0)},
                            {'kind': 'forest', 'trees': QU(10, 500, 10), 'depth': QU(2, 30, 1)},
                            {'kind': 'boost', 'lr': LU(1e-3, 1.0), 'rounds': QLU(10, 2000, 10)}])}, condpub, 0.12, 0),
    'rastrigin5': (box(5, -5.12, 5.12), on_vec(5, rastrigin), 0.0, 0),
    'schwefel4': (box(4, -500, 500), on_vec(4, schwefel), 0.0, 0),
    'sixhumpcamel': ({'x0': U(-3, 3), 'x1': U(-2, 2)}, six_hump_camel, -1.0316284534898774, 0),
    'hartmann3': (box(3, 0, 1), on_vec(3, hartmann3), -3.862779787332663, 0),
    'levy6': (box(6, -10, 10), on_vec(6, levy), 0.0, 0),
    'hyperellipsoid6': (box(6, -65.536, 65.536), on_vec(6, rotated_hyper_ellipsoid), 0.0, 0),
    'rosenbrock10': (box(10, -2, 2), on_vec(10, rosenbrock), 0.0, 0),
    'sphere20': (box(20, -5, 5), on_vec(20, shifted_sphere20), 0.0, 0),
    'ackley20': (box(20, -32.768, 32.768), on_vec(20, ackley), 0.0, 0),
    'svmmix': ({'C': LU(1e-3, 1e3), 'gamma': LU(1e-5, 10), 'degree': RI(2, 6), 'kernel': CH(['rbf', 'poly', 'linear']),
                'batch': QU(16, 256, 16), 'cache_mb': QLU(16, 4096, 16)}, svmmix, 0.05, 0),
    'condtrap': ({'branch': CH([{'kind': 'wide', 'x': U(0, 1), 'y': U(0, 1)},
                                {'kind': 'needle', 'lr': LU(1e-6, 1), 'm': U(0, 1)},
                                {'kind': 'mid', 'k': QU(1, 20, 1)}])}, condtrap, 0.1, 0),
    'noisy_hartmann6': (box(6, 0, 1), hartmann6, -3.3223680114155147, 0.1),
    'noisy_svmmix': (None, svmmix, 0.05, 0.01),
    'griewank8': (box(8, -600, 600), on_vec(8, griewank), 0.0, 0),
    'michalewicz5': (box(5, 0, PI), on_vec(5, michalewicz), -4.687658179088149, 0),
    'shekel10': (box(4, 0, 10), on_vec(4, shekel10), -10.536443153483532, 0),
    'goldsteinprice': ({'x0': U(-2, 2), 'x1': U(-2, 2)}, goldstein_price, 3.0, 0),
    'ackley6': (box(6, -32.768, 32.768), on_vec(6, ackley), 0.0, 0),
    'styblinski8': (box(8, -5, 5), on_vec(8, styblinski_tang), 8 * STYBLINSKI_MIN, 0),
    'ellipsoid8': (box(8, -5, 5), on_vec(8, rotated_ellipsoid), 0.0, 0),
    'rastrigin20': (box(20, -5.12, 5.12), on_vec(20, rastrigin), 0.0, 0),
    'mixed10': ({'a': U(-5, 5), 'b': U(0, 1), 'c': U(-1, 1), 'lr': LU(1e-5, 1), 'wd': LU(1e-6, 1e-1),
                 'depth': QU(1, 12, 1), 'width': RI(8, 512), 'rounds': QLU(10, 2000, 10),
                 'opt': CH(['sgd', 'adam', 'rmsprop', 'lamb'])}, mixed10, 0.0, 0),
    'nnmix': ({'layers': QU(1, 8, 1), 'units': QLU(16, 1024, 16), 'lr': LU(1e-5, 1e-1),
               'batch': CH([16, 32, 64, 128, 256]), 'activation': CH(['relu', 'tanh', 'gelu']),
               'dropout': U(0, 0.7), 'weight_decay': LU(1e-7, 1e-2), 'warmup': QU(0, 1000, 50)}, nnmix, 0.0, 0),
    'condnested': ({'model': CH([
        {'kind': 'svm', 'C': LU(1e-3, 1e3), 'kernel': CH([{'k': 'rbf', 'gamma': LU(1e-5, 1)}, {'k': 'linear'}])},
        {'kind': 'tree', 'depth': QU(1, 20, 1), 'split': CH(['gini', 'entropy']), 'min_leaf': QLU(1, 100, 1)},
        {'kind': 'net', 'lr': LU(1e-5, 1e-1),
         'opt': CH([{'o': 'sgd', 'momentum': U(0, 0.99)}, {'o': 'adam', 'beta1': U(0.8, 0.999)}])}])},
        condnested, 0.1, 0),
    'noisy_mlmix': (None, mlmix, 0.1, 0.01),
    'noisy_branin': (None, branin, 5 / (4 * PI), 0.5),
}
SUITE['noisy_mlmix'] = (SUITE['mlmix'][0],) + SUITE['noisy_mlmix'][1:]
SUITE['noisy_branin'] = (SUITE['branin'][0],) + SUITE['noisy_branin'][1:]
SUITE['noisy_svmmix'] = (SUITE['svmmix'][0],) + SUITE['noisy_svmmix'][1:]
