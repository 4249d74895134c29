// The page for an address the dashboard does not know.
import { Link } from "../router";

/** Not found, with a way back. */
export function NotFound() {
  return (
    <div className="py-12 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-gray-700 dark:text-gray-300">
        <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
          Go to your projects
        </Link>
      </p>
    </div>
  );
}
