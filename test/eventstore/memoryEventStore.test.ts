import { createMemoryEventStore } from '../../src/eventstore/memoryEventStore';
import type { EventStore } from '../../src/eventstore/store';
import { eventStoreFeatures } from './features';

describe('in-memory event store', () => {
  // One store for the file, as the DynamoDB suite shares one table: tests name their own streams.
  let store: EventStore;
  beforeAll(() => {
    store = createMemoryEventStore();
  });
  eventStoreFeatures(() => store);
});
