/** The example of the OpenAPI document: a package the service accepts and processes. */
export const EXAMPLE_PACKAGE = {
  visit: {
    id: '6a0c1b0e-4b53-4d0c-9c2a-3f1f1e7b2a01',
    period: {
      start: '2026-11-20T09:00:00.000Z',
      end: '2026-11-20T10:00:00.000Z',
    },
  },
  encounter: {
    id: '0f0d7c4e-2f5b-4b8e-9d47-6a3c1e2b9c10',
    status: 'finished',
    date: '2026-11-20T09:30:00.000Z',
    visit: {
      identifier: {
        type: {
          coding: [
            {
              system: 'eHealth/resources',
              code: 'visit',
            },
          ],
        },
        value: '6a0c1b0e-4b53-4d0c-9c2a-3f1f1e7b2a01',
      },
    },
    class: {
      system: 'eHealth/encounter_classes',
      code: 'AMB',
    },
    type: {
      coding: [
        {
          system: 'eHealth/encounter_types',
          code: 'AMB',
        },
      ],
    },
    performer: {
      identifier: {
        type: {
          coding: [
            {
              system: 'eHealth/resources',
              code: 'employee',
            },
          ],
        },
        value: '8b1e7f52-91c4-4a7e-b0d3-5e2c6a9f4d21',
      },
    },
    reasons: [
      {
        coding: [
          {
            system: 'eHealth/ICPC2/reasons',
            code: 'R05',
          },
        ],
      },
    ],
    diagnoses: [
      {
        condition: {
          identifier: {
            type: {
              coding: [
                {
                  system: 'eHealth/resources',
                  code: 'condition',
                },
              ],
            },
            value: 'c3f5a2d1-7e8b-4c6a-9f0e-1d2b3c4a5e60',
          },
        },
        role: {
          coding: [
            {
              system: 'eHealth/diagnosis_roles',
              code: 'primary',
            },
          ],
        },
        rank: 1,
      },
    ],
  },
  conditions: [
    {
      id: 'c3f5a2d1-7e8b-4c6a-9f0e-1d2b3c4a5e60',
      primary_source: true,
      context: {
        identifier: {
          type: {
            coding: [
              {
                system: 'eHealth/resources',
                code: 'encounter',
              },
            ],
          },
          value: '0f0d7c4e-2f5b-4b8e-9d47-6a3c1e2b9c10',
        },
      },
      code: {
        coding: [
          {
            system: 'eHealth/ICD10/condition_codes',
            code: 'J06.9',
          },
        ],
      },
      clinical_status: 'active',
      verification_status: 'confirmed',
      onset_date: '2026-11-19T00:00:00.000Z',
    },
  ],
};
