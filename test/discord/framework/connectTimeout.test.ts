import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ConnectTimeoutError,
  withConnectDeadline,
} from "../../../src/discord/framework/connectTimeout.js";

const API = "http://127.0.0.1:1/api";

describe("withConnectDeadline", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("gives the work's result when it settles in time", async () => {
    const work = new Promise<string>((resolve) => setTimeout(resolve, 900, "ready"));
    const result = withConnectDeadline(work, API, 1_000);
    await vi.advanceTimersByTimeAsync(900);
    await expect(result).resolves.toBe("ready");
  });

  it("fails with a message saying it timed out and what to check, after a silence", async () => {
    const result = withConnectDeadline(new Promise(() => undefined), API, 15_000);
    const failed = expect(result).rejects.toThrow(ConnectTimeoutError);
    await vi.advanceTimersByTimeAsync(15_000);
    await failed;
    await expect(result).rejects.toThrow(
      `timed out: ${API} gave no answer within 15 s; check DISCORD_API_URL`,
    );
  });

  it("starts the deadline again at every sign of life, so a slow API is not a silent one", async () => {
    let touch = () => {};
    let subscribed = 0;
    const activity = (listener: () => void) => {
      touch = listener;
      subscribed++;
      return () => {
        subscribed--;
      };
    };
    const work = new Promise<string>((resolve) => setTimeout(resolve, 2_500, "ready"));
    const result = withConnectDeadline(work, API, 1_000, activity);
    for (let t = 0; t < 2_400; t += 800) {
      await vi.advanceTimersByTimeAsync(800);
      touch();
    }
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBe("ready");
    expect(subscribed).toBe(0);
  });
});
