// Vitest global setup: say which database backends this run covers, so CI output shows both.
import { BACKENDS } from './databases.ts';

export default function setup(): void {
  console.log(`database backends: ${BACKENDS.join(', ')}`);
}
