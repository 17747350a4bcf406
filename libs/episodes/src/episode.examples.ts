import { EXAMPLE_CLIENT_ID } from '@app/http';

/**
 * The examples of the OpenAPI document: an episode the service accepts for the client the
 * examples are written for (`EXAMPLE_CLIENT_ID` manages it), then a change of it, its closing and
 * its cancellation, each of which succeeds in that order.
 */

const employee = (value: string) => ({
  identifier: {
    type: { coding: [{ system: 'eHealth/resources', code: 'employee' }] },
    value,
  },
});

export const EXAMPLE_EPISODE = {
  id: 'a10aeafb-0df2-4091-bc83-f07e92a100ae',
  type: { system: 'eHealth/episode_types', code: 'primary_care' },
  status: 'active',
  name: 'Type 2 diabetes',
  managing_organization: {
    identifier: {
      type: { coding: [{ system: 'eHealth/resources', code: 'legal_entity' }] },
      value: EXAMPLE_CLIENT_ID,
    },
  },
  period: { start: '2026-11-20' },
  care_manager: employee('8b1e7f52-91c4-4a7e-b0d3-5e2c6a9f4d21'),
};

export const EXAMPLE_UPDATE = {
  name: 'Type 2 diabetes, insulin-dependent',
  care_manager: employee('5c2d8e41-6a3b-4f9c-8d7e-1b0a2c3d4e5f'),
};

export const EXAMPLE_CLOSE = {
  period: { end: '2026-12-20' },
  status_reason: {
    coding: [{ system: 'eHealth/episode_closing_reasons', code: 'legal_entity' }],
  },
  closing_summary: 'Care goes on at the district hospital.',
};

export const EXAMPLE_CANCEL = {
  status_reason: {
    coding: [{ system: 'eHealth/cancellation_reasons', code: 'misspelling' }],
  },
  explanatory_letter: 'The episode was opened for the wrong patient.',
};
