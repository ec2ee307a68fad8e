/** The sync search response the DCI connector accepts (DCI Social Registry API v1.0.0; re-exported by `../dci`). */
import * as z from "zod";

const Status = z.enum(["rcvd", "pdng", "succ", "rjct"]);

const SearchResponseItem = z.looseObject({
  reference_id: z.string(),
  timestamp: z.string(),
  status: Status,
  status_reason_code: z.string().optional(),
  status_reason_message: z.string().optional(),
  data: z
    .looseObject({
      version: z.string().optional(),
      reg_type: z.string().optional(),
      reg_record_type: z.string().optional(),
      reg_records: z.array(z.unknown()),
    })
    .optional(),
  pagination: z
    .looseObject({
      page_size: z.number().int().min(0),
      page_number: z.number().int().min(0),
      total_count: z.number().int().min(0),
    })
    .optional(),
  locale: z.string().optional(),
});

export const SyncSearchResponse = z.object({
  signature: z.string().nullish(),
  header: z.looseObject({
    version: z.string().optional(),
    message_id: z.string(),
    message_ts: z.string(),
    action: z.string(),
    status: Status,
    status_reason_code: z.string().optional(),
    status_reason_message: z.string().optional(),
    total_count: z.number().int().optional(),
    completed_count: z.number().int().optional(),
    sender_id: z.string().optional(),
    receiver_id: z.string().optional(),
    is_msg_encrypted: z.boolean().optional(),
  }),
  // The sync search response requires only the header: a registry refusing the whole message may
  // send no message at all.
  message: z
    .looseObject({
      transaction_id: z.union([z.string(), z.number()]),
      correlation_id: z.string().optional(),
      search_response: z.array(SearchResponseItem),
    })
    .optional(),
});
export type SyncSearchResponse = z.infer<typeof SyncSearchResponse>;

