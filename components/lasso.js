// Lasso selection: which points fall inside a polygon (even-odd rule), with a bounding-box prefilter.

/**
 * @param {ArrayLike<number>} x
 * @param {ArrayLike<number>} y
 * @param {[number, number][]} polygon vertices in the points' coordinates (closed implicitly)
 * @returns {Int32Array} indices of the points inside, ascending
 * @example pointsInPolygon([0.5, 2], [0.5, 2], [[0, 0], [1, 0], [1, 1], [0, 1]]) // Int32Array [0]
 */
export function pointsInPolygon(x, y, polygon) {
  if (polygon.length < 3) return new Int32Array(0);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const [px, py] of polygon) {
    x0 = Math.min(x0, px), x1 = Math.max(x1, px), y0 = Math.min(y0, py), y1 = Math.max(y1, py);
  }
  const inside = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] < x0 || x[i] > x1 || y[i] < y0 || y[i] > y1) continue;
    if (containsPoint(polygon, x[i], y[i])) inside.push(i);
  }
  return Int32Array.from(inside);
}

/**
 * Even-odd ray casting: a horizontal ray from (px, py) crosses the boundary an odd number of times.
 * @param {[number, number][]} polygon
 * @param {number} px
 * @param {number} py
 */
export function containsPoint(polygon, px, py) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
