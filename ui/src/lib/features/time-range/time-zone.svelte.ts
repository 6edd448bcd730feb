// The user's time zone for day boundaries (spend "today", budgets, axis labels): the one saved in
// Settings, else the machine's. One shared reactive value read by every feature that shows time.
import { isValidTimeZone, machineTimeZone } from '../../format/locale';

class UserTimeZone {
  value = $state(machineTimeZone());
}

export const userTimeZone = new UserTimeZone();

export function setUserTimeZone(zone: string | null | undefined): void {
  userTimeZone.value = zone && isValidTimeZone(zone) ? zone : machineTimeZone();
}
