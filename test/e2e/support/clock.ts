export { TestClock } from '../../support/clock.js';
