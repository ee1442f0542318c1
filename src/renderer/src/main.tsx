import { QueryClient, QueryClientProvider, notifyManager } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import './styles/theme.css'

// Main answers from its cache at once and pushes `cache.updated` when fresher data arrives,
// so the renderer never needs to poll or refetch on focus.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: false },
    mutations: { retry: false },
  },
})

// An answer reaches React in the task that brought it (a microtask), not in a timer task after
// it, between which the browser may lay out and paint a frame: a keystroke's rows show sooner.
notifyManager.setScheduler(queueMicrotask)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
