import { describe, expect, it, vi } from "vitest";
import { torchControl, type TorchTrack } from "./scanner";

describe("torchControl", () => {
  it("switches the torch through applyConstraints where the track lists it", async () => {
    const track: TorchTrack = { getCapabilities: () => ({ torch: true }), applyConstraints: vi.fn(async () => undefined) };
    const torch = torchControl(track);
    expect(torch?.on).toBe(false);
    await torch?.set(true);
    expect(track.applyConstraints).toHaveBeenCalledWith({ advanced: [{ torch: true }] });
    expect(torch?.on).toBe(true);
  });

  it("offers no torch when the track does not list one, cannot say, or refuses", async () => {
    const apply = async () => undefined;
    expect(torchControl(undefined)).toBeUndefined();
    expect(torchControl({ applyConstraints: apply })).toBeUndefined();
    expect(torchControl({ getCapabilities: () => ({ torch: false }), applyConstraints: apply })).toBeUndefined();
    expect(torchControl({ getCapabilities: () => { throw new Error("not yet"); }, applyConstraints: apply })).toBeUndefined();
    const refusing = torchControl({ getCapabilities: () => ({ torch: true }), applyConstraints: async () => { throw new Error("busy"); } });
    await expect(refusing?.set(true)).rejects.toThrow("busy");
    expect(refusing?.on).toBe(false);
  });
});
