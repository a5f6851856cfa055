// Where the customer display goes (issue 4): full screen on a secondary
// display when there is one; with a single screen, a full-screen overlay
// shown only while there is something for the customer to see.

export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export type Placement =
  | { mode: 'fullscreen'; display: DisplayInfo }
  | { mode: 'overlay'; display: DisplayInfo }
  | { mode: 'off' };

/** `choice` is the setting: 'auto', 'primary', 'off' or a display id. */
export function placeCustomerDisplay(displays: readonly DisplayInfo[], primaryId: number, choice: string): Placement {
  if (choice === 'off' || displays.length === 0) return { mode: 'off' };
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0]!;
  const others = displays.filter((d) => d.id !== primary.id);
  if (/^\d+$/.test(choice)) {
    const chosen = displays.find((d) => String(d.id) === choice);
    if (chosen) return chosen.id === primary.id ? { mode: 'overlay', display: primary } : { mode: 'fullscreen', display: chosen };
    // The chosen display is unplugged: fall back to automatic.
  }
  if (choice === 'primary' || others.length === 0) return { mode: 'overlay', display: primary };
  // Several secondaries: the one furthest right, then lowest, is usually the one facing the customer; ids break ties.
  const [chosen] = [...others].sort((a, b) => b.bounds.x - a.bounds.x || b.bounds.y - a.bounds.y || a.id - b.id);
  return { mode: 'fullscreen', display: chosen! };
}
