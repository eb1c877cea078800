// A short chime made with the WebAudio API (no audio files).
//
// Browsers only let a page start audio after a user gesture. `unlock()` from a click or key
// handler (the sound toggle, or `unlockOnFirstGesture()`) creates/resumes the audio context;
// until then `ready` is false and a chime may stay silent.

export type ChimeKind = "new-order" | "test" | "alert";

/** Notes (Hz) and their spacing (s) for each kind. */
const PATTERNS: Record<ChimeKind, { notes: number[]; gap: number; length: number }> = {
  "new-order": { notes: [880, 1174.66, 1567.98], gap: 0.16, length: 0.5 }, // A5 D6 G6
  test: { notes: [1174.66, 1567.98], gap: 0.14, length: 0.35 },
  alert: { notes: [659.25, 523.25], gap: 0.22, length: 0.45 },
};

type AudioContextClass = typeof AudioContext;

export class Chime {
  private context: AudioContext | null = null;
  private readonly listeners = new Set<() => void>();
  private unlockedAt = 0;

  constructor(private readonly volume = 0.35) {}

  /** Audio can play (a gesture has unlocked it). */
  get ready(): boolean {
    return this.context?.state === "running";
  }

  /** A gesture unlocked audio just now (the click that follows the page's first press
   * should read as "allow sound", not as a toggle). */
  get justUnlocked(): boolean {
    return Date.now() - this.unlockedAt < 1500;
  }

  /** WebAudio exists in this browser. */
  get supported(): boolean {
    return audioContextClass() !== null;
  }

  /** Calls listener when `ready` may have changed; returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call from a user gesture: creates or resumes the audio context. */
  unlock(): Promise<void> {
    const wasReady = this.ready;
    const context = this.ensure();
    if (!context) return Promise.resolve();
    if (context.state === "running") {
      if (!wasReady) this.unlockedAt = Date.now();
      return Promise.resolve();
    }
    return context.resume().then(
      () => {
        this.unlockedAt = Date.now();
        this.changed();
      },
      () => undefined,
    );
  }

  /** Unlocks on the page's first pointer or key press; returns a function that stops waiting. */
  unlockOnFirstGesture(target: EventTarget = document): () => void {
    const events = ["pointerdown", "keydown", "touchstart"];
    const handler = () => {
      void this.unlock().then(() => {
        if (this.ready) stop();
      });
    };
    const stop = () => events.forEach((e) => target.removeEventListener(e, handler, true));
    events.forEach((e) => target.addEventListener(e, handler, true));
    return stop;
  }

  /** Plays the chime (quietly does nothing when audio is unavailable). */
  play(kind: ChimeKind = "new-order"): void {
    const context = this.ensure();
    if (!context) return;
    if (context.state !== "running") void context.resume().catch(() => undefined);
    const pattern = PATTERNS[kind];
    const start = context.currentTime + 0.02;
    pattern.notes.forEach((frequency, i) => this.note(context, frequency, start + i * pattern.gap, pattern.length));
  }

  private note(context: AudioContext, frequency: number, at: number, length: number): void {
    const oscillator = context.createOscillator();
    const overtone = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    overtone.type = "triangle";
    overtone.frequency.value = frequency * 2;
    const overtoneGain = context.createGain();
    overtoneGain.gain.value = 0.15;
    // a soft bell: fast attack, exponential decay
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(this.volume, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    oscillator.connect(gain);
    overtone.connect(overtoneGain).connect(gain);
    gain.connect(context.destination);
    for (const source of [oscillator, overtone]) {
      source.start(at);
      source.stop(at + length + 0.05);
    }
  }

  private ensure(): AudioContext | null {
    if (this.context) return this.context;
    const Ctor = audioContextClass();
    if (!Ctor) return null;
    try {
      this.context = new Ctor();
      this.context.addEventListener("statechange", () => this.changed());
    } catch {
      return null;
    }
    return this.context;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function audioContextClass(): AudioContextClass | null {
  const w = window as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}
