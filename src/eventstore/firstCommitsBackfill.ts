/**
 * Marks every stream's first commit for the first-commits index (tables.ts FIRST_COMMITS_INDEX). Commits
 * written before the index existed lack the mark, so listing streams through the index would miss their
 * rotations: run once on a table from before it (`rotation index-streams`). The mark is not part of the
 * hashed content, so the hash chain is untouched. Safe to run again, and beside a running engine: each item
 * is marked only if it still exists and has no mark.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, isConditionFailed, scanPages, type AnyDynamoClient } from './dynamo';
import { EVENTS_TABLE, FIRST_COMMITS_INDEX, FIRST_COMMIT_MARK } from './tables';

export interface BackfillReport {
  /** First commits that had no mark and now have it. */
  readonly marked: number;
  /** First commits that already had it. */
  readonly alreadyMarked: number;
}

const { partitionKey: PK, sortKey: SK } = EVENTS_TABLE;
const MARK = FIRST_COMMITS_INDEX.partitionKey.name;

export const markFirstCommits = async (
  client: AnyDynamoClient,
  tableName: string = EVENTS_TABLE.tableName,
): Promise<BackfillReport> => {
  const doc = documentClient(client);
  let marked = 0;
  let alreadyMarked = 0;
  // Only first commits come back, and only their keys and mark: the scan reads the table once, cheaply.
  const pages = scanPages(doc, {
    TableName: tableName,
    ProjectionExpression: '#pk, #sk, #mark',
    FilterExpression: '#sk = :one',
    ExpressionAttributeNames: { '#pk': PK.name, '#sk': SK.name, '#mark': MARK },
    ExpressionAttributeValues: { ':one': 1 },
  });
  for await (const items of pages) {
    for (const item of items) {
      if (item[MARK] !== undefined) {
        alreadyMarked++;
        continue;
      }
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { [PK.name]: item[PK.name], [SK.name]: 1 },
            UpdateExpression: 'SET #mark = :mark',
            ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#mark)',
            ExpressionAttributeNames: { '#pk': PK.name, '#mark': MARK },
            ExpressionAttributeValues: { ':mark': FIRST_COMMIT_MARK },
          }),
        );
        marked++;
      } catch (err) {
        // Marked meanwhile (another run): nothing left to do for it.
        if (!isConditionFailed(err)) throw err;
        alreadyMarked++;
      }
    }
  }
  return { marked, alreadyMarked };
};
