/** What the guided setup needs to know, read from the real settings and permissions. */
export interface SetupFacts {
  connected: boolean;
  locationChosen: boolean;
  managerGranted: boolean;
}

export type SetupStepId = 'connect' | 'location' | 'manager' | 'done';

/**
 * The steps in order. A later step counts only once the earlier ones are done: a location
 * saved under an old, disconnected token is not progress for the user in front of it.
 */
export function setupSteps(f: SetupFacts): { id: SetupStepId; done: boolean }[] {
  const connect = f.connected;
  const location = connect && f.locationChosen;
  const manager = location && f.managerGranted;
  return [
    { id: 'connect', done: connect },
    { id: 'location', done: location },
    { id: 'manager', done: manager },
    { id: 'done', done: manager },
  ];
}
