/**
 * Checks of data.yaml against what its report format declares about the data
 * (beyond required keys): the vehicle categories of 国有资产占有使用情况.
 */
import { Location, Problem } from '../errors';
import { Profile } from '../profile/load';

/** data.yaml's vehicles must be the format's categories, each once and in its order. */
export function checkVehicleCategories(profile: Profile, vehicles: Array<[string, number]>, locs: Map<string, Location>, problems: Problem[]): void {
  const want = profile.data.vehicleCategories;
  if (!want) return;
  const base = 'explanations.assets.vehicles';
  const got = vehicles.map(([k]) => k);
  for (const k of got) {
    if (!want.includes(k)) problems.push({ path: `${base}.${k}`, loc: locs.get(`${base}.${k}`), message: `未知的车辆类别“${k}”：报告格式“${profile.name}”的车辆类别依次为 ${want.join('、')}` });
  }
  const missing = want.filter((k) => !got.includes(k));
  if (missing.length) problems.push({ path: base, loc: locs.get(base), message: `缺少车辆类别 ${missing.join('、')}（没有的填 0）：报告格式“${profile.name}”的车辆类别依次为 ${want.join('、')}` });
  else if (got.every((k) => want.includes(k)) && got.join() !== want.join()) {
    problems.push({ path: base, loc: locs.get(base), message: `车辆类别的顺序应为 ${want.join('、')}` });
  }
}
