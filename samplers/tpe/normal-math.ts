// Normal-distribution numerics for the Parzen estimators: erfc (the Sun/FreeBSD rational approximations),
// Φ, log Φ, the log mass of an interval, Φ⁻¹ and truncated-normal draws by inverse CDF. Pure functions.

/** ½·ln(2π). */
export const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Complementary error function, about 1 ulp relative accuracy over the whole line. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1 - x;
    const z = x * x;
    const y = polyP(z) / polyQ(z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const pq = polyPA(s) / polyQA(s);
    return x >= 0 ? 1 - ERX - pq : 1 + ERX + pq;
  }
  if (ax >= 28) return x > 0 ? 0 : 2;
  if (x < 0 && ax > 6) return 2;
  const s = 1 / (ax * ax);
  const rs = ax < 1 / 0.35 ? polyRA(s) / polySA(s) : polyRB(s) / polySB(s);
  const z = clearLowWord(ax);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + rs);
  return x > 0 ? r / ax : 2 - r / ax;
}

/** Standard normal CDF. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/** log Φ(z), accurate in both tails (asymptotic series below -20). */
export function logNormCdf(z: number): number {
  if (z > 0) return Math.log1p(-normCdf(-z));
  if (z > -20) return Math.log(normCdf(z));
  if (z === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  // log Φ(z) = -z²/2 - ln(-z) - ½ln(2π) + ln(1 - 1/z² + 3/z⁴ - 15/z⁶ + ...)
  const inv = 1 / (z * z);
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 40; k++) {
    term *= -(2 * k - 1) * inv;
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return -0.5 * z * z - Math.log(-z) - HALF_LN_2PI + Math.log(sum);
}

/** log(Φ(b) − Φ(a)) for a ≤ b, without cancellation (either bound may be infinite). */
export function logNormMass(a: number, b: number): number {
  if (b <= 0) {
    const lb = logNormCdf(b);
    return lb + Math.log1p(-Math.exp(logNormCdf(a) - lb));
  }
  if (a >= 0) return logNormMass(-b, -a);
  return Math.log1p(-normCdf(a) - normCdf(-b));
}

/** Φ⁻¹(p): a rational first guess refined by one Halley step (full double precision). */
export function normPpf(p: number): number {
  if (!(p > 0)) return p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (!(p < 1)) return p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = tailNumerator(q) / tailDenominator(q);
  } else if (p <= 0.97575) {
    const q = p - 0.5;
    const r = q * q;
    x = (centralNumerator(r) * q) / centralDenominator(r);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -tailNumerator(q) / tailDenominator(q);
  }
  // Halley step on Φ(x) - p, using the tail that keeps precision.
  const e = x < 0 ? normCdf(x) - p : (1 - p) - normCdf(-x);
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/**
 * Standard-normal draw truncated to [a, b] by inverting the CDF at q ∈ [0, 1); the tail with more mass
 * is inverted from its far side so that no precision is lost near Φ = 1.
 */
export function truncNormPpf(a: number, b: number, q: number): number {
  let z: number;
  if (a + b <= 0) {
    const lo = normCdf(a);
    z = normPpf(clampProb(lo + q * (normCdf(b) - lo)));
  } else {
    const lo = normCdf(-b);
    z = -normPpf(clampProb(lo + (1 - q) * (normCdf(-a) - lo)));
  }
  return z < a ? a : z > b ? b : z;
}

/**
 * e^x for x ≤ 0, from a 1024-entry table of 2^(j/1024) and a cubic (relative error < 2e-14): several
 * times faster than Math.exp, and the same on every engine. 0 below -700.
 */
export function expNonPositive(x: number): number {
  if (x < -700) return 0;
  const y = x * EXP_SCALE;
  const n = Math.floor(y);
  const r = (y - n) * EXP_STEP;
  return (POW2_NEG[-(n >> 10)] as number) * (POW2_FRAC[n & 1023] as number) * (1 + r * (1 + r * (0.5 + r * (1 / 6))));
}

// --- internal ---

const EXP_SCALE = Math.LOG2E * 1024;
const EXP_STEP = Math.LN2 / 1024;
const POW2_FRAC = Float64Array.from({ length: 1024 }, (_, j) => 2 ** (j / 1024));
const POW2_NEG = Float64Array.from({ length: 1100 }, (_, i) => 2 ** -i);

const ERX = 8.45062911510467529297e-1;

function polyP(z: number): number {
  return 1.28379167095512558561e-1 + z * (-3.25042107247001499370e-1 + z * (-2.84817495755985104766e-2 + z * (-5.77027029648944159157e-3 + z * -2.37630166566501626084e-5)));
}
function polyQ(z: number): number {
  return 1 + z * (3.97917223959155352819e-1 + z * (6.50222499887672944485e-2 + z * (5.08130628187576562776e-3 + z * (1.32494738004321644526e-4 + z * -3.96022827877536812320e-6))));
}
function polyPA(s: number): number {
  return -2.36211856075265944077e-3 + s * (4.14856118683748331666e-1 + s * (-3.72207876035701323847e-1 + s * (3.18346619901161753674e-1 + s * (-1.10894694282396677476e-1 + s * (3.54783043256182359371e-2 + s * -2.16637559486879084300e-3)))));
}
function polyQA(s: number): number {
  return 1 + s * (1.06420880400844228286e-1 + s * (5.40397917702171048937e-1 + s * (7.18286544141962662868e-2 + s * (1.26171219808761642112e-1 + s * (1.36370839120290507362e-2 + s * 1.19844998467991074170e-2)))));
}
function polyRA(s: number): number {
  return -9.86494403484714822705e-3 + s * (-6.93858572707181764372e-1 + s * (-1.05586262253232909814e1 + s * (-6.23753324503260060396e1 + s * (-1.62396669462573470355e2 + s * (-1.84605092906711035994e2 + s * (-8.12874355063065934246e1 + s * -9.81432934416914548592)))))); 
}
function polySA(s: number): number {
  return 1 + s * (1.96512716674392571292e1 + s * (1.37657754143519042600e2 + s * (4.34565877475229228821e2 + s * (6.45387271733267880336e2 + s * (4.29008140027567833386e2 + s * (1.08635005541779435134e2 + s * (6.57024977031928170135 + s * -6.04244152148580987438e-2)))))));
}
function polyRB(s: number): number {
  return -9.86494292470009928597e-3 + s * (-7.99283237680523006574e-1 + s * (-1.77579549177547519889e1 + s * (-1.60636384855821916062e2 + s * (-6.37566443368389627722e2 + s * (-1.02509513161107724954e3 + s * -4.83519191608651397019e2)))));
}
function polySB(s: number): number {
  return 1 + s * (3.03380607434824582924e1 + s * (3.25792512996573918826e2 + s * (1.53672958608443695994e3 + s * (3.19985821950859553908e3 + s * (2.55305040643316442583e3 + s * (4.74528541206955367215e2 + s * -2.24409524465858183362e1))))));
}

const WORD_VIEW = new DataView(new ArrayBuffer(8));

/** x with the low 32 bits of its mantissa cleared, so that z*z is exact. */
function clearLowWord(x: number): number {
  WORD_VIEW.setFloat64(0, x);
  WORD_VIEW.setUint32(4, 0);
  return WORD_VIEW.getFloat64(0);
}

// Rational approximation of Φ⁻¹ (relative error about 1e-9 before refinement).
function tailNumerator(q: number): number {
  return ((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549671010135303) * q + 4.374664141464968) * q + 2.938163982698783;
}
function tailDenominator(q: number): number {
  return (((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1;
}
function centralNumerator(r: number): number {
  return ((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.383577518672690e2) * r - 3.066479806614716e1) * r + 2.506628277459239;
}
function centralDenominator(r: number): number {
  return ((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r - 1.328068155288572e1) * r + 1;
}

function clampProb(p: number): number {
  return p < Number.MIN_VALUE ? Number.MIN_VALUE : p >= 1 ? 1 - Number.EPSILON / 2 : p;
}
