import { logoutAction } from "@/app/actions";

/** The sign-out button (a form posting the session's CSRF token), in the header and on /password. */
export function SignOutForm(props: { csrf: string; label: string }) {
  return (
    <form action={logoutAction}>
      <input type="hidden" name="csrf" value={props.csrf} />
      <button className="secondary" type="submit">
        {props.label}
      </button>
    </form>
  );
}
