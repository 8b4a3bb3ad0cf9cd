export function App() {
  return (
    <main>
      <h1>Chat History Viewer</h1>
      <p>Use the chv command to browse a chat_history.db; the window's views are being built.</p>
    </main>
  )
}
