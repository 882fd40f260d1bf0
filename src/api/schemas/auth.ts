import { t } from 'elysia'

export const AccessAndRefreshToken = t.Object({ access_token: t.String(), refresh_token: t.String() })
export const AccessToken = t.Object({ access_token: t.String() })
